// Compacts a world-atlas TopoJSON file: keeps the quantized arcs, the countries object with
// each geometry's name and ISO 3166-1 numeric id, and drops the rest (the "land" object).
// Usage: node compact-topojson.mjs IN.json OUT.json
import { readFileSync, writeFileSync } from "node:fs";

const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: node compact-topojson.mjs IN.json OUT.json");
  process.exit(2);
}
const topo = JSON.parse(readFileSync(input, "utf8"));
if (topo.type !== "Topology" || !topo.transform || !topo.objects?.countries) {
  console.error(`${input}: not a quantized world-atlas TopoJSON topology`);
  process.exit(1);
}
const countries = topo.objects.countries;
const compact = {
  type: "Topology",
  source: "Natural Earth (public domain), via npm world-atlas; compacted by scripts/ui/build-map.sh",
  transform: topo.transform,
  objects: {
    countries: {
      type: "GeometryCollection",
      geometries: countries.geometries.map((g) => ({
        type: g.type,
        arcs: g.arcs,
        id: g.id,
        properties: { name: g.properties?.name ?? "" },
      })),
    },
  },
  arcs: topo.arcs,
};
writeFileSync(output, JSON.stringify(compact));

//! `frontline export --format parquet` (cargo feature `parquet`): the ACLED-style columns of the
//! CSV export as a typed Parquet file, Snappy-compressed, one row group per 50,000 events.

use std::sync::Arc;

use anyhow::{Result, bail};
use parquet::basic::Compression;
use parquet::data_type::{ByteArray, ByteArrayType, DataType, DoubleType, Int32Type, Int64Type};
use parquet::file::properties::WriterProperties;
use parquet::file::writer::{SerializedFileWriter, SerializedRowGroupWriter};
use parquet::schema::parser::parse_message_type;

use frontline_server::rows::AcledRow;

/// The Parquet schema: the CSV columns, in the same order, with types. `optional` columns are
/// null where the CSV cell is empty.
pub const SCHEMA: &str = "message frontline_event {
  required int64 event_id;
  optional int32 event_date (DATE);
  optional int32 year;
  optional int32 time_precision;
  optional binary event_type (UTF8);
  optional binary sub_event_type (UTF8);
  optional binary actor1 (UTF8);
  optional binary actor2 (UTF8);
  optional binary country (UTF8);
  optional binary iso (UTF8);
  optional binary admin1 (UTF8);
  optional binary location (UTF8);
  optional double latitude;
  optional double longitude;
  optional int32 geo_precision;
  required binary source (UTF8);
  required binary notes (UTF8);
  optional int64 fatalities;
  required binary plover_type (UTF8);
  required int32 n_sources;
  required binary contradictions (UTF8);
  optional int64 fatalities_low;
  optional int64 fatalities_best;
  optional int64 fatalities_high;
  required int32 n_documents;
  required int32 n_outlets;
}";

const ROW_GROUP: usize = 50_000;

/// Writes [`AcledRow`]s to a Parquet file, buffering a row group at a time.
pub struct ParquetWriter {
    writer: SerializedFileWriter<std::fs::File>,
    rows: Vec<AcledRow>,
}

impl ParquetWriter {
    /// Starts a Parquet file.
    pub fn new(file: std::fs::File) -> Result<Self> {
        let schema = Arc::new(parse_message_type(SCHEMA)?);
        let props = Arc::new(
            WriterProperties::builder()
                .set_compression(Compression::SNAPPY)
                .set_created_by(format!("frontline {}", env!("CARGO_PKG_VERSION")))
                .build(),
        );
        Ok(Self {
            writer: SerializedFileWriter::new(file, schema, props)?,
            rows: Vec::new(),
        })
    }

    /// Adds a row.
    pub fn push(&mut self, row: AcledRow) -> Result<()> {
        self.rows.push(row);
        if self.rows.len() >= ROW_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes what is buffered and the file footer.
    pub fn finish(mut self) -> Result<()> {
        self.flush()?;
        self.writer.close()?;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if self.rows.is_empty() {
            return Ok(());
        }
        let rows = std::mem::take(&mut self.rows);
        let mut rg = self.writer.next_row_group()?;
        let text = |v: &Option<String>| v.as_deref().map(ByteArray::from);
        let days = |d: &Option<chrono::NaiveDate>| {
            // Parquet DATE: days since 1970-01-01, which is `NaiveDate::default()`.
            d.map(|d| (d - chrono::NaiveDate::default()).num_days() as i32)
        };
        put::<Int64Type>(&mut rg, &rows, true, |r| Some(r.event_id))?;
        put::<Int32Type>(&mut rg, &rows, false, |r| days(&r.event_date))?;
        put::<Int32Type>(&mut rg, &rows, false, |r| r.year)?;
        put::<Int32Type>(&mut rg, &rows, false, |r| r.time_precision)?;
        put::<ByteArrayType>(&mut rg, &rows, false, |r| text(&r.event_type))?;
        put::<ByteArrayType>(&mut rg, &rows, false, |r| text(&r.sub_event_type))?;
        put::<ByteArrayType>(&mut rg, &rows, false, |r| text(&r.actor1))?;
        put::<ByteArrayType>(&mut rg, &rows, false, |r| text(&r.actor2))?;
        put::<ByteArrayType>(&mut rg, &rows, false, |r| text(&r.country))?;
        put::<ByteArrayType>(&mut rg, &rows, false, |r| text(&r.iso))?;
        put::<ByteArrayType>(&mut rg, &rows, false, |r| text(&r.admin1))?;
        put::<ByteArrayType>(&mut rg, &rows, false, |r| text(&r.location))?;
        put::<DoubleType>(&mut rg, &rows, false, |r| r.latitude)?;
        put::<DoubleType>(&mut rg, &rows, false, |r| r.longitude)?;
        put::<Int32Type>(&mut rg, &rows, false, |r| r.geo_precision)?;
        put::<ByteArrayType>(&mut rg, &rows, true, |r| Some(r.source.as_str().into()))?;
        put::<ByteArrayType>(&mut rg, &rows, true, |r| Some(r.notes.as_str().into()))?;
        put::<Int64Type>(&mut rg, &rows, false, |r| {
            r.fatalities.map(|f| i64::try_from(f).unwrap_or(i64::MAX))
        })?;
        put::<ByteArrayType>(&mut rg, &rows, true, |r| {
            Some(r.plover_type.as_str().into())
        })?;
        put::<Int32Type>(&mut rg, &rows, true, |r| {
            Some(i32::try_from(r.n_sources).unwrap_or(i32::MAX))
        })?;
        put::<ByteArrayType>(&mut rg, &rows, true, |r| {
            Some(r.contradictions.as_str().into())
        })?;
        let toll = |v: Option<u64>| v.map(|f| i64::try_from(f).unwrap_or(i64::MAX));
        put::<Int64Type>(&mut rg, &rows, false, |r| toll(r.fatalities_low))?;
        put::<Int64Type>(&mut rg, &rows, false, |r| toll(r.fatalities_best))?;
        put::<Int64Type>(&mut rg, &rows, false, |r| toll(r.fatalities_high))?;
        put::<Int32Type>(&mut rg, &rows, true, |r| {
            Some(i32::try_from(r.n_documents).unwrap_or(i32::MAX))
        })?;
        put::<Int32Type>(&mut rg, &rows, true, |r| {
            Some(i32::try_from(r.n_outlets).unwrap_or(i32::MAX))
        })?;
        if rg.next_column()?.is_some() {
            bail!("the Parquet schema has more columns than the export writes");
        }
        rg.close()?;
        Ok(())
    }
}

/// Writes the next column of the row group: `get`'s value for each row, `None` as null.
fn put<T: DataType>(
    rg: &mut SerializedRowGroupWriter<'_, std::fs::File>,
    rows: &[AcledRow],
    required: bool,
    get: impl Fn(&AcledRow) -> Option<T::T>,
) -> Result<()> {
    let Some(mut col) = rg.next_column()? else {
        bail!("the Parquet schema has fewer columns than the export writes");
    };
    let mut values = Vec::with_capacity(rows.len());
    let mut defs = Vec::with_capacity(rows.len());
    for r in rows {
        match get(r) {
            Some(v) => {
                values.push(v);
                defs.push(1i16);
            }
            None if required => bail!("a required Parquet column has no value"),
            None => defs.push(0),
        }
    }
    col.typed::<T>()
        .write_batch(&values, (!required).then_some(&defs[..]), None)?;
    col.close()?;
    Ok(())
}

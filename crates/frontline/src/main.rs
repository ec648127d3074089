//! The `frontline` command-line tool.

fn main() {
    println!("frontline");
}

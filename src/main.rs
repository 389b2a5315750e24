//! `reverie`: the command line over the same engine as the app.

mod cli;

fn main() {
    std::process::exit(cli::main());
}

// No console window behind the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// A dream reads a window on two threads and allocates millions of small strings and vectors:
// mimalloc keeps those cheap and keeps the threads from contending for one heap (glibc's
// malloc was a third of a dream's time). v2, as v3 holds freed memory for a second and that
// raised a 100,000-session dream's peak by 50 MB. Declared in each binary, not the engine
// library, so the tests keep the system allocator's
// freedom; the benches declare it too, to measure what people run.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    reverie_app_lib::run();
}

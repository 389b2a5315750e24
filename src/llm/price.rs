//! What a dream's tokens cost, from a small table of list prices (USD per million tokens).
//! Cache writes cost 1.25× input, cache reads 0.1× input, and the Message Batches API half of
//! everything. Unknown and local models cost nothing we can know: 0.

use super::Usage;

/// `(model prefix, input, output)` in USD per million tokens; the longest matching prefix wins.
const PRICES: &[(&str, f64, f64)] = &[
    ("claude-opus-4-5", 5.0, 25.0),
    ("claude-opus-4-1", 15.0, 75.0),
    ("claude-opus-4", 15.0, 75.0),
    ("claude-sonnet-4", 3.0, 15.0),
    ("claude-3-7-sonnet", 3.0, 15.0),
    ("claude-haiku-4-5", 1.0, 5.0),
    ("claude-3-5-haiku", 0.8, 4.0),
    ("claude-3-haiku", 0.25, 1.25),
    ("gpt-4.1-mini", 0.4, 1.6),
    ("gpt-4.1-nano", 0.1, 0.4),
    ("gpt-4.1", 2.0, 8.0),
    ("gpt-4o-mini", 0.15, 0.6),
    ("gpt-4o", 2.5, 10.0),
];

/// `(input, output)` USD per million tokens for `model`, if known.
pub fn per_million(model: &str) -> Option<(f64, f64)> {
    let m = model.trim().to_ascii_lowercase();
    PRICES
        .iter()
        .filter(|(p, _, _)| m.starts_with(p))
        .max_by_key(|(p, _, _)| p.len())
        .map(|&(_, i, o)| (i, o))
}

/// The cost in USD of `usage` on `model`; `batch` halves it.
pub fn cost_usd(model: &str, usage: &Usage, batch: bool) -> f64 {
    let Some((input, output)) = per_million(model) else {
        return 0.0;
    };
    let m = 1e-6;
    let full = usage.input_tokens as f64 * input * m
        + usage.cache_creation_input_tokens as f64 * input * 1.25 * m
        + usage.cache_read_input_tokens as f64 * input * 0.1 * m
        + usage.output_tokens as f64 * output * m;
    if batch {
        full * 0.5
    } else {
        full
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prices_follow_the_table_cache_and_batches() {
        let u = Usage {
            input_tokens: 1_000_000,
            cache_creation_input_tokens: 0,
            cache_read_input_tokens: 1_000_000,
            output_tokens: 100_000,
        };
        let c = cost_usd("claude-sonnet-4-5-20250929", &u, false);
        assert!((c - (3.0 + 0.3 + 1.5)).abs() < 1e-9, "{c}");
        assert!((cost_usd("claude-sonnet-4-5", &u, true) - c / 2.0).abs() < 1e-9);
        assert_eq!(per_million("claude-opus-4-5"), Some((5.0, 25.0)));
        assert_eq!(per_million("claude-opus-4-1-20250805"), Some((15.0, 75.0)));
        assert_eq!(cost_usd("llama3.1:8b", &u, false), 0.0);
    }
}

//! Asking `zave init`'s questions on a terminal: one line each, Enter keeps the default.

use std::io::{BufRead, Write};

use zave::scaffold::{InitAnswers, Question};

/// Asks every question on standard error and reads the answers from `input`, re-asking after
/// an answer zave.io/v1 does not implement. The end of input keeps the remaining defaults.
pub fn ask(answers: &mut InitAnswers, input: &mut dyn BufRead) -> std::io::Result<()> {
    let mut stderr = std::io::stderr().lock();
    writeln!(
        stderr,
        "Describe \"{}\" (Enter keeps the default in brackets):",
        answers.name
    )?;
    for &question in Question::ALL {
        loop {
            let several = question == Question::Capability;
            let current = answers.current(question);
            write!(
                stderr,
                "  {} ({}{}) [{}]: ",
                question.key(),
                question.options().join(", "),
                if several { "; comma-separated" } else { "" },
                if current.is_empty() { "none" } else { &current }
            )?;
            stderr.flush()?;
            let mut line = String::new();
            if input.read_line(&mut line)? == 0 {
                writeln!(stderr)?;
                return Ok(());
            }
            let line = line.trim();
            if line.is_empty() {
                break;
            }
            let mut attempt = answers.clone();
            if several {
                attempt.capabilities.clear();
            }
            let values: Vec<&str> = if several {
                line.split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .collect()
            } else {
                vec![line]
            };
            match values
                .into_iter()
                .try_for_each(|value| attempt.answer(question, value))
            {
                Ok(()) => {
                    *answers = attempt;
                    break;
                }
                Err(message) => writeln!(stderr, "  {message}")?,
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enter_keeps_defaults_and_a_wrong_answer_is_asked_again() {
        let mut answers = InitAnswers::new("web");
        let mut input = "\npublic-htp\ninternal-http\n\npostgres\nmetrics, tracing\n".as_bytes();
        ask(&mut answers, &mut input).expect("answers read");
        let mut expected = InitAnswers::new("web");
        for (question, value) in [
            (Question::Exposure, "internal-http"),
            (Question::Persistence, "postgres"),
            (Question::Capability, "metrics"),
            (Question::Capability, "tracing"),
        ] {
            expected.answer(question, value).expect("offered");
        }
        assert_eq!(
            answers, expected,
            "the tier, not asked before input ended, keeps its default"
        );
    }
}

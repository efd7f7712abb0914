//! Conditions on mentee variables, written by trainers as text: `trust >= 3 and reliance < 5`.
//!
//! Grammar: `or`-joined `and`-joined terms; a term is `not TERM`, `( CONDITION )` or a
//! comparison `OPERAND OP OPERAND` with `OP` one of `== != < <= > >=` and an operand a variable
//! name or an integer.
//!
//! Files come from people and tools that may be careless or hostile, and every function here
//! recurses over the condition's tree (parsing, evaluation, analysis, printing, dropping). So
//! chains of `and` and `or` are held flat, however long, and only brackets and `not` nest: at
//! most [`MAX_DEPTH`] levels, which no real condition comes near. Deeper is the located error
//! `condition-too-deep`, never a stack overflow.

use std::ops::Range;

use crate::diagnostic::Code;
use crate::limits::CONDITION_DEPTH as MAX_DEPTH;

/// A parsed condition; variables are indices into the scenario's variable list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Compare two operands.
    Compare(Operand, CompareOp, Operand),
    /// All of them hold (two or more, in the order written).
    And(Vec<Condition>),
    /// At least one holds (two or more, in the order written).
    Or(Vec<Condition>),
    /// Does not hold.
    Not(Box<Condition>),
}

/// One side of a comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    /// A variable, by index.
    Var(usize),
    /// A constant.
    Int(i64),
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(missing_docs)]
pub enum CompareOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CompareOp {
    fn holds(self, a: i64, b: i64) -> bool {
        match self {
            CompareOp::Eq => a == b,
            CompareOp::Ne => a != b,
            CompareOp::Lt => a < b,
            CompareOp::Le => a <= b,
            CompareOp::Gt => a > b,
            CompareOp::Ge => a >= b,
        }
    }
}

/// Why a condition could not be parsed, with the byte range inside the condition text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ConditionError {
    /// Stable code: `bad-condition`, or `condition-too-deep`.
    pub code: Code,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// Byte range within the condition text.
    pub span: Range<usize>,
}

/// The inclusive range a variable can take, for "can this ever hold?" analysis.
pub type Bounds = (i64, i64);

impl Condition {
    /// Parses condition text; `lookup` turns a variable name into its index.
    pub fn parse(
        text: &str,
        lookup: impl Fn(&str) -> Option<usize>,
    ) -> Result<Condition, ConditionError> {
        let tokens = tokenize(text)?;
        let mut parser = Parser {
            tokens: &tokens,
            pos: 0,
            end: text.len(),
            lookup: &lookup,
            depth: 0,
        };
        let condition = parser.or()?;
        match parser.tokens.get(parser.pos) {
            None => Ok(condition),
            Some(token) => Err(ConditionError {
                code: BAD,
                message: format!("unexpected `{}` after a complete condition", token.text),
                hint: "join comparisons with `and` or `or`".into(),
                span: token.span.clone(),
            }),
        }
    }

    /// The condition as a trainer would write it, with `names` the scenario's variables.
    pub fn describe(&self, names: &[&str]) -> String {
        let operand = |o: &Operand| match o {
            Operand::Var(i) => names
                .get(*i)
                .map_or_else(|| format!("#{i}"), |n| (*n).to_owned()),
            Operand::Int(n) => n.to_string(),
        };
        let grouped = |c: &Condition| match c {
            Condition::Or(..) | Condition::And(..) => format!("({})", c.describe(names)),
            _ => c.describe(names),
        };
        match self {
            Condition::Compare(a, op, b) => {
                let op = match op {
                    CompareOp::Eq => "==",
                    CompareOp::Ne => "!=",
                    CompareOp::Lt => "<",
                    CompareOp::Le => "<=",
                    CompareOp::Gt => ">",
                    CompareOp::Ge => ">=",
                };
                format!("{} {op} {}", operand(a), operand(b))
            }
            Condition::And(terms) => terms
                .iter()
                .map(|c| match c {
                    Condition::Or(..) => grouped(c),
                    _ => c.describe(names),
                })
                .collect::<Vec<_>>()
                .join(" and "),
            Condition::Or(terms) => terms
                .iter()
                .map(|c| c.describe(names))
                .collect::<Vec<_>>()
                .join(" or "),
            Condition::Not(a) => format!("not {}", grouped(a)),
        }
    }

    /// Calls `read` with each variable the condition reads.
    pub fn variables(&self, read: &mut impl FnMut(usize)) {
        match self {
            Condition::Compare(a, _, b) => {
                for operand in [a, b] {
                    if let Operand::Var(i) = operand {
                        read(*i);
                    }
                }
            }
            Condition::And(terms) | Condition::Or(terms) => {
                terms.iter().for_each(|c| c.variables(read));
            }
            Condition::Not(a) => a.variables(read),
        }
    }

    /// Whether the condition holds for these variable values.
    pub fn holds(&self, vars: &[i32]) -> bool {
        match self {
            Condition::Compare(a, op, b) => op.holds(a.value(vars), b.value(vars)),
            Condition::And(terms) => terms.iter().all(|c| c.holds(vars)),
            Condition::Or(terms) => terms.iter().any(|c| c.holds(vars)),
            Condition::Not(a) => !a.holds(vars),
        }
    }

    /// Whether the condition could hold (first) and could fail (second) for some values within
    /// the variables' bounds. Each comparison is judged on its own, so `x > 5 and x < 3` still
    /// counts as possible: the check catches impossible comparisons, such as constants or
    /// values outside a variable's range, not every contradiction.
    pub fn possible(&self, bounds: &[Bounds]) -> (bool, bool) {
        match self {
            Condition::Compare(a, op, b) => {
                let (a_lo, a_hi) = a.bounds(bounds);
                let (b_lo, b_hi) = b.bounds(bounds);
                let can_hold = match op {
                    CompareOp::Eq => a_lo <= b_hi && b_lo <= a_hi,
                    CompareOp::Ne => !(a_lo == a_hi && b_lo == b_hi && a_lo == b_lo),
                    CompareOp::Lt => a_lo < b_hi,
                    CompareOp::Le => a_lo <= b_hi,
                    CompareOp::Gt => a_hi > b_lo,
                    CompareOp::Ge => a_hi >= b_lo,
                };
                let can_fail = match op {
                    CompareOp::Eq => !(a_lo == a_hi && b_lo == b_hi && a_lo == b_lo),
                    CompareOp::Ne => a_lo <= b_hi && b_lo <= a_hi,
                    CompareOp::Lt => a_hi >= b_lo,
                    CompareOp::Le => a_hi > b_lo,
                    CompareOp::Gt => a_lo <= b_hi,
                    CompareOp::Ge => a_lo < b_hi,
                };
                (can_hold, can_fail)
            }
            Condition::And(terms) => terms.iter().fold((true, false), |(hold, fail), c| {
                let (c_hold, c_fail) = c.possible(bounds);
                (hold && c_hold, fail || c_fail)
            }),
            Condition::Or(terms) => terms.iter().fold((false, true), |(hold, fail), c| {
                let (c_hold, c_fail) = c.possible(bounds);
                (hold || c_hold, fail && c_fail)
            }),
            Condition::Not(a) => {
                let (hold, fail) = a.possible(bounds);
                (fail, hold)
            }
        }
    }
}

impl Operand {
    fn value(self, vars: &[i32]) -> i64 {
        match self {
            Operand::Var(i) => i64::from(vars[i]),
            Operand::Int(n) => n,
        }
    }

    fn bounds(self, bounds: &[Bounds]) -> Bounds {
        match self {
            Operand::Var(i) => bounds[i],
            Operand::Int(n) => (n, n),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word,
    Int(i64),
    Op(CompareOp),
    Open,
    Close,
}

#[derive(Debug, Clone)]
struct Token<'a> {
    kind: Tok,
    text: &'a str,
    span: Range<usize>,
}

fn tokenize(text: &str) -> Result<Vec<Token<'_>>, ConditionError> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        let b = bytes[i];
        let kind = if b.is_ascii_whitespace() {
            i += 1;
            continue;
        } else if b == b'(' {
            i += 1;
            Tok::Open
        } else if b == b')' {
            i += 1;
            Tok::Close
        } else if b.is_ascii_alphabetic() || b == b'_' {
            while i < bytes.len() && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_') {
                i += 1;
            }
            Tok::Word
        } else if b.is_ascii_digit()
            || (b == b'-' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
        {
            i += 1;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            let number = text[start..i].parse().map_err(|_| ConditionError {
                code: BAD,
                message: format!("`{}` is too large a number", &text[start..i]),
                hint: "use a number that fits the variable's range".into(),
                span: start..i,
            })?;
            Tok::Int(number)
        } else {
            let two = text.get(i..i + 2).unwrap_or("");
            let (op, len) = match (two, b) {
                ("==", _) => (CompareOp::Eq, 2),
                ("!=", _) => (CompareOp::Ne, 2),
                ("<=", _) => (CompareOp::Le, 2),
                (">=", _) => (CompareOp::Ge, 2),
                (_, b'<') => (CompareOp::Lt, 1),
                (_, b'>') => (CompareOp::Gt, 1),
                (_, b'=') => {
                    return Err(ConditionError {
                        code: BAD,
                        message: "`=` is not a comparison".into(),
                        hint: "write `==` to test equality".into(),
                        span: i..i + 1,
                    });
                }
                _ => {
                    let width = text[i..].chars().next().map_or(1, char::len_utf8);
                    return Err(ConditionError {
                        code: BAD,
                        message: format!("unexpected `{}` in a condition", &text[i..i + width]),
                        hint: "conditions compare variables and numbers, e.g. `trust >= 3 and reliance < 5`".into(),
                        span: i..i + width,
                    });
                }
            };
            i += len;
            Tok::Op(op)
        };
        tokens.push(Token {
            kind,
            text: &text[start..i],
            span: start..i,
        });
    }
    Ok(tokens)
}

/// The code of every parse error but nesting too deep.
const BAD: Code = Code::BadCondition;

struct Parser<'t, 'a, F> {
    tokens: &'t [Token<'a>],
    pos: usize,
    end: usize,
    lookup: &'t F,
    /// Brackets and `not`s open around the current term.
    depth: usize,
}

impl<F: Fn(&str) -> Option<usize>> Parser<'_, '_, F> {
    fn peek_word(&self, word: &str) -> bool {
        self.tokens
            .get(self.pos)
            .is_some_and(|t| t.kind == Tok::Word && t.text == word)
    }

    fn or(&mut self) -> Result<Condition, ConditionError> {
        let first = self.and()?;
        if !self.peek_word("or") {
            return Ok(first);
        }
        let mut terms = vec![first];
        while self.peek_word("or") {
            self.pos += 1;
            terms.push(self.and()?);
        }
        Ok(Condition::Or(terms))
    }

    fn and(&mut self) -> Result<Condition, ConditionError> {
        let first = self.term()?;
        if !self.peek_word("and") {
            return Ok(first);
        }
        let mut terms = vec![first];
        while self.peek_word("and") {
            self.pos += 1;
            terms.push(self.term()?);
        }
        Ok(Condition::And(terms))
    }

    /// Enters a bracket or a `not` at `token`, refusing to go deeper than [`MAX_DEPTH`].
    fn nest(&mut self, token: usize) -> Result<(), ConditionError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(ConditionError {
                code: Code::ConditionTooDeep,
                message: format!("brackets and `not` nest more than {MAX_DEPTH} levels deep here"),
                hint: "write the condition flatter: chains of `and` and `or` need no brackets"
                    .into(),
                span: self.tokens[token].span.clone(),
            });
        }
        Ok(())
    }

    fn term(&mut self) -> Result<Condition, ConditionError> {
        if self.peek_word("not") {
            self.nest(self.pos)?;
            self.pos += 1;
            let inner = self.term()?;
            self.depth -= 1;
            return Ok(Condition::Not(Box::new(inner)));
        }
        if self
            .tokens
            .get(self.pos)
            .is_some_and(|t| t.kind == Tok::Open)
        {
            self.nest(self.pos)?;
            let open = self.tokens[self.pos].span.clone();
            self.pos += 1;
            let inner = self.or()?;
            self.depth -= 1;
            return match self.tokens.get(self.pos) {
                Some(t) if t.kind == Tok::Close => {
                    self.pos += 1;
                    Ok(inner)
                }
                _ => Err(ConditionError {
                    code: BAD,
                    message: "this `(` is never closed".into(),
                    hint: "add a matching `)`".into(),
                    span: open,
                }),
            };
        }
        let left = self.operand()?;
        let op = match self.tokens.get(self.pos) {
            Some(Token {
                kind: Tok::Op(op), ..
            }) => *op,
            other => {
                return Err(ConditionError {
                    code: BAD,
                    message: "expected a comparison such as `>=` here".into(),
                    hint: "a condition compares a variable with a number, e.g. `trust >= 3`".into(),
                    span: other.map_or(self.end..self.end, |t| t.span.clone()),
                });
            }
        };
        self.pos += 1;
        let right = self.operand()?;
        Ok(Condition::Compare(left, op, right))
    }

    fn operand(&mut self) -> Result<Operand, ConditionError> {
        let Some(token) = self.tokens.get(self.pos) else {
            return Err(ConditionError {
                code: BAD,
                message: "the condition ends too early".into(),
                hint: "finish the comparison, e.g. `trust >= 3`".into(),
                span: self.end..self.end,
            });
        };
        self.pos += 1;
        match token.kind {
            Tok::Int(n) => Ok(Operand::Int(n)),
            Tok::Word if !matches!(token.text, "and" | "or" | "not") => (self.lookup)(token.text)
                .map(Operand::Var)
                .ok_or_else(|| ConditionError {
                    code: BAD,
                    message: format!("there is no variable named `{}`", token.text),
                    hint: "declare it under `variables`, or fix the spelling".into(),
                    span: token.span.clone(),
                }),
            _ => Err(ConditionError {
                code: BAD,
                message: format!("expected a variable or a number, found `{}`", token.text),
                hint: "a condition compares a variable with a number, e.g. `trust >= 3`".into(),
                span: token.span.clone(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Condition, ConditionError> {
        Condition::parse(text, |name| {
            ["trust", "reliance"].iter().position(|v| *v == name)
        })
    }

    #[test]
    fn evaluates_comparisons_with_and_or_not() {
        let c = parse("trust >= 3 and not (reliance > 5 or trust == 10)").unwrap();
        assert!(c.holds(&[3, 5]));
        assert!(!c.holds(&[3, 6]));
        assert!(!c.holds(&[10, 0]));
        assert!(!c.holds(&[2, 0]));
    }

    #[test]
    fn describes_itself_as_written_and_reparses_to_the_same_condition() {
        let names = ["trust", "reliance"];
        for text in [
            "trust >= 3 and not (reliance > 5 or trust == 10)",
            "(trust < 1 or reliance != 2) and trust <= 4",
            "trust > 1 or reliance == 2 and trust < 5",
        ] {
            let condition = parse(text).unwrap();
            let described = condition.describe(&names);
            assert_eq!(described, text);
            assert_eq!(parse(&described).unwrap(), condition);
        }
    }

    #[test]
    fn reports_the_place_of_mistakes() {
        let e = parse("trust >= 3 and relliance < 2").unwrap_err();
        assert_eq!(e.span, 15..24);
        assert!(e.message.contains("relliance"));
        assert_eq!(parse("trust = 3").unwrap_err().span, 6..7);
        assert_eq!(parse("trust >=").unwrap_err().span, 8..8);
        assert_eq!(parse("(trust > 1").unwrap_err().span, 0..1);
        assert_eq!(parse("trust > 1 2").unwrap_err().span, 10..11);
    }

    #[test]
    fn finds_comparisons_that_can_never_hold() {
        let bounds = [(0, 10), (0, 5)];
        assert_eq!(parse("3 > 5").unwrap().possible(&bounds), (false, true));
        assert_eq!(
            parse("trust > 10").unwrap().possible(&bounds),
            (false, true)
        );
        assert_eq!(
            parse("trust >= 0").unwrap().possible(&bounds),
            (true, false)
        );
        assert_eq!(
            parse("trust > reliance").unwrap().possible(&bounds),
            (true, true)
        );
        assert_eq!(
            parse("not (reliance == -1)").unwrap().possible(&bounds),
            (true, false)
        );
    }

    #[test]
    fn nesting_deeper_than_the_limit_is_a_located_error_not_a_stack_overflow() {
        let parens = format!("{}trust > 1{}", "(".repeat(20_000), ")".repeat(20_000));
        let e = parse(&parens).unwrap_err();
        assert_eq!(e.code, Code::ConditionTooDeep);
        assert_eq!(
            e.span,
            MAX_DEPTH..MAX_DEPTH + 1,
            "at the first bracket too many"
        );

        let nots = format!("{}trust > 1", "not ".repeat(100_000));
        let e = parse(&nots).unwrap_err();
        assert_eq!(e.code, Code::ConditionTooDeep);
        assert_eq!(e.span.start, MAX_DEPTH * 4);

        let at_limit = format!(
            "{}trust > 1{}",
            "(".repeat(MAX_DEPTH),
            ")".repeat(MAX_DEPTH)
        );
        assert!(parse(&at_limit).unwrap().holds(&[2, 0]));
    }

    #[test]
    fn long_chains_of_and_and_or_stay_flat() {
        let terms = vec!["trust > 1"; 200_000];
        for (joiner, holds) in [(" and ", true), (" or ", true)] {
            let text = terms.join(joiner);
            let condition = parse(&text).unwrap();
            assert_eq!(condition.holds(&[2, 0]), holds);
            assert_eq!(condition.possible(&[(0, 10), (0, 5)]), (true, true));
            assert_eq!(condition.describe(&["trust", "reliance"]), text);
        }
        let mixed = "trust > 1 or reliance == 2 and trust < 5 or not (trust == 0)";
        let condition = parse(mixed).unwrap();
        assert!(matches!(&condition, Condition::Or(terms) if terms.len() == 3));
        assert!(condition.holds(&[0, 2]) && !condition.holds(&[0, 3]));
    }
}

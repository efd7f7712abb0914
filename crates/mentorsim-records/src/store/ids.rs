//! What a trainee id may be. Ids are typed on command lines and in the app's sign-in, read out
//! by coordinators and matched exactly, so one that looks like another (a stray space, an
//! invisible or direction-changing character) would split a trainee's records in two without
//! anyone seeing why. Every place an id enters checks it here; nothing trims it silently.

use super::StoreError;

/// A fresh trainee id for a profile made without a program id: short enough to read out.
pub fn new_trainee_id() -> String {
    let uuid = uuid::Uuid::new_v4().simple().to_string();
    format!("t-{}", &uuid[..8])
}

/// Longest trainee id, in characters: program ids are short; a pasted paragraph is a mistake.
const MAX_LEN: usize = 100;

/// Refuses an id that is empty, too long, starts or ends with whitespace, or holds a control,
/// invisible or direction-changing character; the message says what to change.
pub fn check_trainee_id(id: &str) -> Result<(), StoreError> {
    let refuse = |why: String| {
        Err(StoreError::Invalid(format!(
            "`{}` cannot be a trainee id: {why}",
            id.escape_debug()
        )))
    };
    if id.is_empty() {
        return refuse("it is empty; give the program's id for the trainee, e.g. t-0042".into());
    }
    if id.chars().count() > MAX_LEN {
        return refuse(format!("it is longer than {MAX_LEN} characters"));
    }
    if id.starts_with(char::is_whitespace) || id.ends_with(char::is_whitespace) {
        return refuse(format!(
            "it starts or ends with a space; write it as `{}`",
            id.trim().escape_debug()
        ));
    }
    if let Some(c) = id.chars().find(|&c| c.is_control() || is_invisible(c)) {
        return refuse(format!(
            "it holds the control, invisible or direction-changing character U+{:04X}; use letters, digits, - or _",
            c as u32
        ));
    }
    Ok(())
}

/// Characters that show as nothing or reorder what follows: zero-width marks, bidi controls,
/// the byte-order mark and the like (Unicode's default-ignorable format characters).
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{061C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{FEFF}'
            | '\u{FFF9}'..='\u{FFFB}'
    )
}

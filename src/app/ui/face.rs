//! The persona's face on the conversation screen: drawn with vector shapes at any text scale,
//! its look from the scenario (skin, hair, glasses, a head covering, facial hair) and its
//! expression from the line's mood (brows, eyes, gaze, mouth). A change of mood eases over a
//! fifth of a second unless motion is reduced, and the face names itself for screen readers
//! ("Maya looks anxious").

use bevy_egui::egui::{
    Color32, Pos2, Response, Sense, Shape, Stroke, Ui, Vec2, WidgetInfo, WidgetType, pos2, vec2,
};
use mentorsim_script::model::{
    FacialHair, HairColour, HairStyle, HeadCovering, Look, Mood, SkinTone,
};

use super::theme::{Palette, mood_look};

/// What the face does for a mood. Each field runs over a small range; the moods differ in at
/// least two of them, so a change shows at a glance.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Expression {
    /// Inner ends of the brows: up (worry, sadness) is positive, down (anger) negative.
    pub brow_tilt: f32,
    /// How far the brows are raised.
    pub brow_lift: f32,
    /// How open the eyes are: 1 is at rest.
    pub eye_open: f32,
    /// Where the eyes look: down is positive.
    pub gaze_down: f32,
    /// Where the eyes look: aside is positive.
    pub gaze_aside: f32,
    /// The mouth's curve: a smile is positive.
    pub mouth_curve: f32,
    /// How open the mouth is.
    pub mouth_open: f32,
    /// How unsteady the mouth's line is.
    pub mouth_wobble: f32,
}

impl Expression {
    /// The expression of a mood.
    pub fn of(mood: Mood) -> Expression {
        let e = |brow_tilt,
                 brow_lift,
                 eye_open,
                 gaze_down,
                 gaze_aside,
                 mouth_curve,
                 mouth_open,
                 mouth_wobble| {
            Expression {
                brow_tilt,
                brow_lift,
                eye_open,
                gaze_down,
                gaze_aside,
                mouth_curve,
                mouth_open,
                mouth_wobble,
            }
        };
        match mood {
            Mood::Neutral => e(0.0, 0.2, 1.0, 0.0, 0.0, 0.05, 0.0, 0.0),
            Mood::Calm => e(0.0, 0.15, 0.6, 0.1, 0.0, 0.35, 0.0, 0.0),
            Mood::Warm => e(0.1, 0.4, 0.75, 0.0, 0.0, 0.85, 0.25, 0.0),
            Mood::Hopeful => e(0.35, 0.7, 1.15, -0.5, 0.0, 0.5, 0.0, 0.0),
            Mood::Relieved => e(0.45, 0.3, 0.45, 0.0, 0.0, 0.6, 0.1, 0.0),
            Mood::Anxious => e(0.75, 0.6, 1.25, 0.0, 0.3, -0.2, 0.1, 0.8),
            Mood::Guarded => e(-0.35, 0.0, 0.6, 0.1, 0.9, 0.0, 0.0, 0.0),
            Mood::Sad => e(0.85, 0.2, 0.75, 0.6, 0.0, -0.65, 0.0, 0.0),
            Mood::Frustrated => e(-0.6, 0.1, 0.85, 0.0, -0.4, -0.35, 0.0, 0.4),
            Mood::Angry => e(-1.0, 0.0, 0.7, 0.0, 0.0, -0.7, 0.3, 0.0),
            Mood::Withdrawn => e(0.2, 0.0, 0.4, 1.0, 0.3, -0.15, 0.0, 0.0),
            Mood::Distressed => e(0.95, 0.85, 1.35, 0.0, 0.0, -0.8, 0.65, 0.4),
            Mood::Overwhelmed => e(0.8, 0.5, 0.25, 0.4, 0.0, -0.5, 0.4, 0.7),
        }
    }

    fn fields(&self) -> [f32; 8] {
        [
            self.brow_tilt,
            self.brow_lift,
            self.eye_open,
            self.gaze_down,
            self.gaze_aside,
            self.mouth_curve,
            self.mouth_open,
            self.mouth_wobble,
        ]
    }

    fn from_fields(f: [f32; 8]) -> Expression {
        Expression {
            brow_tilt: f[0],
            brow_lift: f[1],
            eye_open: f[2],
            gaze_down: f[3],
            gaze_aside: f[4],
            mouth_curve: f[5],
            mouth_open: f[6],
            mouth_wobble: f[7],
        }
    }

    /// How different two expressions are: the sum of their fields' differences.
    pub fn distance(&self, other: &Expression) -> f32 {
        self.fields()
            .iter()
            .zip(other.fields())
            .map(|(a, b)| (a - b).abs())
            .sum()
    }
}

/// Draws `name`'s face with the mood's expression, `size` points across.
pub fn face(
    ui: &mut Ui,
    name: &str,
    look: &Look,
    mood: Mood,
    colours: &Palette,
    size: f32,
) -> Response {
    let (rect, response) = ui.allocate_exact_size(Vec2::splat(size), Sense::hover());
    // Ease from the last expression to this one; reduced motion sets the animation time to 0.
    let target = Expression::of(mood).fields();
    let time = ui.style().animation_time * 1.6;
    let mut eased = [0.0; 8];
    for (i, value) in target.iter().enumerate() {
        eased[i] = ui
            .ctx()
            .animate_value_with_time(response.id.with(i), *value, time);
    }
    let expression = Expression::from_fields(eased);
    let (word, _, _) = mood_look(mood, colours);
    let painter = ui.painter_at(rect.expand(2.0));
    let outline = Stroke::new(
        if colours.high_contrast { 2.5 } else { 1.5 },
        colours.face_outline,
    );
    let centre = rect.center() + vec2(0.0, size * 0.04);
    let head = vec2(size * 0.34, size * 0.4);
    let skin = skin_colour(look.skin);
    let hair = hair_colour(look.hair_colour);
    let mut shapes = Vec::new();

    let covered = look.head_covering != HeadCovering::None;
    if !covered {
        behind_head(&mut shapes, look.hair, hair, centre, head);
    } else {
        covering_behind(&mut shapes, look.head_covering, centre, head);
    }
    shapes.push(Shape::ellipse_filled(centre, head, skin));
    shapes.push(Shape::ellipse_stroke(centre, head, outline));
    facial_hair(&mut shapes, look.facial_hair, hair, centre, head);
    features(&mut shapes, &expression, centre, head, colours, skin);
    if look.glasses {
        glasses(&mut shapes, centre, head, outline.color);
    }
    if covered {
        covering_front(&mut shapes, look.head_covering, centre, head, outline);
    } else {
        on_top(&mut shapes, look.hair, hair, centre, head);
    }
    painter.extend(shapes);

    let described = format!("{name} looks {}", word.to_lowercase());
    response.widget_info(|| WidgetInfo::labeled(WidgetType::Image, true, &described));
    response.on_hover_text(described)
}

/// The eyes, brows and mouth.
fn features(
    shapes: &mut Vec<Shape>,
    e: &Expression,
    c: Pos2,
    head: Vec2,
    colours: &Palette,
    skin: Color32,
) {
    // Features stay readable on every skin tone: on darker skin the brows are black and the
    // mouth a lighter tone than the skin, rather than dark on dark.
    let dark_skin = luminance(skin) < 0.3;
    let ink = if dark_skin {
        Color32::BLACK
    } else {
        colours.face_ink
    };
    let lips = if dark_skin {
        lerp(skin, Color32::from_rgb(250, 200, 190), 0.6)
    } else {
        ink
    };
    let eye_y = c.y - head.y * 0.12;
    let eye_dx = head.x * 0.38;
    let eye_w = head.x * 0.17;
    let eye_h = (head.y * 0.09 * e.eye_open).max(head.y * 0.012);
    for side in [-1.0f32, 1.0] {
        let eye = pos2(c.x + side * eye_dx, eye_y);
        shapes.push(Shape::ellipse_filled(
            eye,
            vec2(eye_w, eye_h),
            Color32::WHITE,
        ));
        let pupil_r = (eye_h * 0.8).min(eye_w * 0.55);
        let pupil = pos2(
            eye.x + e.gaze_aside * eye_w * 0.4,
            eye.y + e.gaze_down * eye_h * 0.35,
        );
        shapes.push(Shape::circle_filled(pupil, pupil_r, ink));
        shapes.push(Shape::ellipse_stroke(
            eye,
            vec2(eye_w, eye_h),
            Stroke::new(1.0, ink),
        ));
        // Heavy lids for eyes half shut: a band of skin over the top of the eye.
        if e.eye_open < 0.7 {
            shapes.push(Shape::line_segment(
                [
                    pos2(eye.x - eye_w, eye.y - eye_h * 0.2),
                    pos2(eye.x + eye_w, eye.y - eye_h * 0.2),
                ],
                Stroke::new(eye_h * 0.9, skin),
            ));
            shapes.push(Shape::line_segment(
                [pos2(eye.x - eye_w, eye.y), pos2(eye.x + eye_w, eye.y)],
                Stroke::new(1.2, ink),
            ));
        }
        // The brow: its inner end (towards the nose) rises with worry and drops with anger.
        let brow_y = eye_y - head.y * (0.17 + 0.08 * e.brow_lift);
        let inner = pos2(
            c.x + side * eye_dx * 0.45,
            brow_y - e.brow_tilt * head.y * 0.07,
        );
        let outer = pos2(
            c.x + side * eye_dx * 1.45,
            brow_y + e.brow_tilt * head.y * 0.03,
        );
        shapes.push(Shape::line_segment(
            [inner, outer],
            Stroke::new(head.x * 0.09, ink),
        ));
    }
    // The mouth: a curve that smiles or frowns, open as a filled shape, unsteady as a wave.
    let mouth_y = c.y + head.y * 0.45;
    let half = head.x * 0.4;
    let bend = e.mouth_curve * head.y * 0.14;
    let curve = |t: f32, drop: f32| {
        let wobble = e.mouth_wobble * head.y * 0.025 * (t * 9.0).sin();
        pos2(
            c.x + t * half,
            mouth_y + bend * (1.0 - t * t) + wobble + drop * (1.0 - t * t),
        )
    };
    let steps: Vec<f32> = (0..=16).map(|i| i as f32 / 16.0 * 2.0 - 1.0).collect();
    if e.mouth_open > 0.05 {
        let open = e.mouth_open * head.y * 0.16;
        let mut outline: Vec<Pos2> = steps.iter().map(|&t| curve(t, 0.0)).collect();
        outline.extend(steps.iter().rev().map(|&t| curve(t, open)));
        shapes.push(Shape::convex_polygon(
            outline.clone(),
            Color32::from_rgb(110, 40, 45),
            Stroke::NONE,
        ));
        outline.push(outline[0]);
        shapes.push(Shape::line(outline, Stroke::new(head.x * 0.05, lips)));
    } else {
        let line: Vec<Pos2> = steps.iter().map(|&t| curve(t, 0.0)).collect();
        shapes.push(Shape::line(line, Stroke::new(head.x * 0.07, lips)));
    }
}

/// Hair that falls behind the head.
fn behind_head(shapes: &mut Vec<Shape>, style: HairStyle, hair: Color32, c: Pos2, head: Vec2) {
    match style {
        HairStyle::Long => shapes.push(Shape::rect_filled(
            bevy_egui::egui::Rect::from_center_size(
                c + vec2(0.0, head.y * 0.25),
                vec2(head.x * 2.3, head.y * 1.7),
            ),
            head.x * 0.6,
            hair,
        )),
        HairStyle::Braids => {
            for side in [-1.0f32, 1.0] {
                for k in 0..5 {
                    shapes.push(Shape::circle_filled(
                        c + vec2(
                            side * head.x * 0.95,
                            -head.y * 0.1 + k as f32 * head.y * 0.28,
                        ),
                        head.x * 0.16,
                        hair,
                    ));
                }
            }
        }
        HairStyle::Ponytail => shapes.push(Shape::ellipse_filled(
            c + vec2(head.x * 0.95, -head.y * 0.2),
            vec2(head.x * 0.3, head.y * 0.55),
            hair,
        )),
        HairStyle::Afro => shapes.push(Shape::ellipse_filled(
            c + vec2(0.0, -head.y * 0.22),
            vec2(head.x * 1.35, head.y * 1.05),
            hair,
        )),
        _ => {}
    }
}

/// Hair over the top of the head.
fn on_top(shapes: &mut Vec<Shape>, style: HairStyle, hair: Color32, c: Pos2, head: Vec2) {
    let cap = |depth: f32, alpha: f32| {
        // The head's outline above the hairline (`depth` below the crown: 0 the crown .. 1 the
        // middle), closed by a hairline that dips a little over the forehead. Both edges bulge
        // outwards, so the shape stays convex, which `convex_polygon` needs to fill it right.
        let rise = (1.0 - depth).clamp(0.0, 1.0);
        let from = std::f32::consts::PI + rise.asin();
        let to = 2.0 * std::f32::consts::PI - rise.asin();
        let points: Vec<Pos2> = (0..=24)
            .map(|i| {
                let a = from + (to - from) * i as f32 / 24.0;
                pos2(c.x + head.x * 1.03 * a.cos(), c.y + head.y * 1.03 * a.sin())
            })
            .chain((1..8).map(|i| {
                let t = i as f32 / 8.0;
                let half_width = head.x * 1.03 * from.cos().abs();
                pos2(
                    c.x + half_width * (1.0 - 2.0 * t),
                    c.y - head.y * 1.03 * rise + (t * std::f32::consts::PI).sin() * head.y * 0.18,
                )
            }))
            .collect();
        Shape::convex_polygon(points, hair.gamma_multiply(alpha), Stroke::NONE)
    };
    match style {
        HairStyle::Short | HairStyle::Long | HairStyle::Ponytail | HairStyle::Braids => {
            shapes.push(cap(0.45, 1.0))
        }
        HairStyle::Bun => {
            shapes.push(cap(0.4, 1.0));
            shapes.push(Shape::circle_filled(
                c + vec2(0.0, -head.y * 1.05),
                head.x * 0.32,
                hair,
            ));
        }
        HairStyle::Curly => {
            for k in 0..9 {
                let a = std::f32::consts::PI * (1.05 + k as f32 * 0.1);
                shapes.push(Shape::circle_filled(
                    pos2(c.x + head.x * 0.95 * a.cos(), c.y + head.y * 0.95 * a.sin()),
                    head.x * 0.24,
                    hair,
                ));
            }
        }
        HairStyle::Buzz => shapes.push(cap(0.35, 0.55)),
        HairStyle::Afro | HairStyle::Bald => {}
    }
}

/// The part of a head covering behind the face: a hijab frames the whole face.
fn covering_behind(shapes: &mut Vec<Shape>, covering: HeadCovering, c: Pos2, head: Vec2) {
    if covering == HeadCovering::Hijab {
        shapes.push(Shape::ellipse_filled(
            c + vec2(0.0, head.y * 0.1),
            vec2(head.x * 1.3, head.y * 1.25),
            covering_colour(covering),
        ));
    }
}

/// The part of a head covering over the head.
fn covering_front(
    shapes: &mut Vec<Shape>,
    covering: HeadCovering,
    c: Pos2,
    head: Vec2,
    outline: Stroke,
) {
    let colour = covering_colour(covering);
    let dome = |rise: f32, depth: f32| {
        let points: Vec<Pos2> = (0..=24)
            .map(|i| {
                let a = std::f32::consts::PI * (1.0 + i as f32 / 24.0);
                pos2(
                    c.x + head.x * 1.08 * a.cos(),
                    c.y - head.y * rise + head.y * depth * a.sin(),
                )
            })
            .collect();
        Shape::convex_polygon(points, colour, outline)
    };
    match covering {
        HeadCovering::Hijab => shapes.push(dome(0.35, 0.75)),
        HeadCovering::Turban => {
            shapes.push(dome(0.3, 0.95));
            shapes.push(Shape::line_segment(
                [
                    c + vec2(-head.x * 0.9, -head.y * 0.6),
                    c + vec2(head.x * 0.6, -head.y * 1.05),
                ],
                Stroke::new(head.x * 0.08, colour.gamma_multiply(0.7)),
            ));
        }
        HeadCovering::Headscarf => shapes.push(dome(0.4, 0.7)),
        HeadCovering::Beanie => {
            shapes.push(dome(0.45, 0.75));
            shapes.push(Shape::rect_filled(
                bevy_egui::egui::Rect::from_center_size(
                    c + vec2(0.0, -head.y * 0.47),
                    vec2(head.x * 2.1, head.y * 0.2),
                ),
                head.x * 0.08,
                colour.gamma_multiply(0.8),
            ));
        }
        HeadCovering::Cap => {
            shapes.push(dome(0.45, 0.65));
            shapes.push(Shape::rect_filled(
                bevy_egui::egui::Rect::from_center_size(
                    c + vec2(head.x * 0.45, -head.y * 0.47),
                    vec2(head.x * 1.5, head.y * 0.1),
                ),
                head.x * 0.05,
                colour,
            ));
        }
        HeadCovering::None => {}
    }
}

fn facial_hair(shapes: &mut Vec<Shape>, style: FacialHair, hair: Color32, c: Pos2, head: Vec2) {
    let jaw = |alpha: f32| {
        let points: Vec<Pos2> = (0..=20)
            .map(|i| {
                let a = std::f32::consts::PI * (0.1 + 0.8 * i as f32 / 20.0);
                pos2(c.x + head.x * a.cos(), c.y + head.y * a.sin())
            })
            .collect();
        Shape::convex_polygon(points, hair.gamma_multiply(alpha), Stroke::NONE)
    };
    match style {
        FacialHair::Beard => shapes.push(jaw(0.95)),
        FacialHair::Stubble => shapes.push(jaw(0.3)),
        FacialHair::Moustache => shapes.push(Shape::line_segment(
            [
                c + vec2(-head.x * 0.3, head.y * 0.33),
                c + vec2(head.x * 0.3, head.y * 0.33),
            ],
            Stroke::new(head.y * 0.07, hair),
        )),
        FacialHair::None => {}
    }
}

fn glasses(shapes: &mut Vec<Shape>, c: Pos2, head: Vec2, frame: Color32) {
    let eye_y = c.y - head.y * 0.12;
    let dx = head.x * 0.38;
    let r = head.x * 0.26;
    let stroke = Stroke::new(head.x * 0.05, frame);
    for side in [-1.0f32, 1.0] {
        shapes.push(Shape::circle_stroke(
            pos2(c.x + side * dx, eye_y),
            r,
            stroke,
        ));
    }
    shapes.push(Shape::line_segment(
        [pos2(c.x - dx + r, eye_y), pos2(c.x + dx - r, eye_y)],
        stroke,
    ));
}

/// Relative luminance, 0 (black) to 1 (white), as WCAG defines it.
fn luminance(colour: Color32) -> f32 {
    let linear = |c: u8| {
        let c = f32::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * linear(colour.r()) + 0.7152 * linear(colour.g()) + 0.0722 * linear(colour.b())
}

fn lerp(a: Color32, b: Color32, t: f32) -> Color32 {
    let mix = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color32::from_rgb(mix(a.r(), b.r()), mix(a.g(), b.g()), mix(a.b(), b.b()))
}

fn skin_colour(tone: SkinTone) -> Color32 {
    match tone {
        SkinTone::Light => Color32::from_rgb(246, 215, 195),
        SkinTone::LightMedium => Color32::from_rgb(232, 184, 150),
        SkinTone::Medium => Color32::from_rgb(198, 139, 98),
        SkinTone::MediumDark => Color32::from_rgb(160, 103, 63),
        SkinTone::Dark => Color32::from_rgb(111, 68, 41),
        SkinTone::Deep => Color32::from_rgb(74, 44, 28),
    }
}

fn hair_colour(colour: HairColour) -> Color32 {
    match colour {
        HairColour::Black => Color32::from_rgb(28, 26, 25),
        HairColour::DarkBrown => Color32::from_rgb(59, 42, 32),
        HairColour::Brown => Color32::from_rgb(107, 74, 47),
        HairColour::Auburn => Color32::from_rgb(125, 58, 28),
        HairColour::Red => Color32::from_rgb(181, 82, 42),
        HairColour::Blonde => Color32::from_rgb(217, 184, 106),
        HairColour::Grey => Color32::from_rgb(154, 154, 154),
        HairColour::White => Color32::from_rgb(232, 232, 232),
    }
}

fn covering_colour(covering: HeadCovering) -> Color32 {
    match covering {
        HeadCovering::Hijab => Color32::from_rgb(47, 95, 115),
        HeadCovering::Turban => Color32::from_rgb(40, 60, 120),
        HeadCovering::Headscarf => Color32::from_rgb(150, 60, 80),
        HeadCovering::Cap => Color32::from_rgb(60, 70, 80),
        HeadCovering::Beanie => Color32::from_rgb(120, 90, 40),
        HeadCovering::None => Color32::TRANSPARENT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every mood's face differs from every other's at a glance.
    #[test]
    fn every_two_moods_look_different() {
        for (i, a) in Mood::ALL.iter().enumerate() {
            for b in &Mood::ALL[i + 1..] {
                let distance = Expression::of(*a).distance(&Expression::of(*b));
                assert!(
                    distance >= 0.5,
                    "{a:?} and {b:?} look alike (distance {distance})"
                );
            }
        }
    }
}

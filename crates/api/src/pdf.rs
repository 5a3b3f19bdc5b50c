//! Renders a holder's certificate as a one-page A4 PDF.
//!
//! The page uses the standard Type 1 fonts Helvetica and Helvetica-Bold with
//! `WinAnsiEncoding`, so no font is embedded. Text is encoded to Windows-1252 by this
//! module, and characters that Windows-1252 lacks are printed as `?`. The content
//! stream is written uncompressed. The verification URL is drawn as a QR code made of
//! filled vector rectangles and is also printed below the code.

use chrono::{Datelike, NaiveDate};
use pdf_writer::types::{ActionType, AnnotationType};
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use qrcode::types::QrError;
use qrcode::{Color, EcLevel, QrCode};

/// Language of the fixed texts (title, labels, footer) on the certificate page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Swedish,
    English,
}

/// Data printed on a certificate. Names and labels must already be in `language`.
#[derive(Debug, Clone)]
pub struct CertificateDocument<'a> {
    pub language: Language,
    pub holder_name: &'a str,
    /// Certificate number, for example `INC-2026-000001`.
    pub certificate_number: &'a str,
    /// Certificate type code, for example `KAT1`.
    pub certificate_type_code: &'a str,
    /// Certificate type name, for example `Personcertifikat Kategori I`.
    pub certificate_type_name: &'a str,
    pub technical_area_name: &'a str,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    /// Date of the next annual renewal, or `None` for certificate types without one.
    /// The table leaves out the renewal row when this is `None` or the certificate is
    /// replaced.
    pub next_renewal_on: Option<NaiveDate>,
    /// Translated status, for example `Giltig`.
    pub status_label: &'a str,
    /// The certificate that a recertification issued in place of this one, if any.
    pub replacement: Option<Replacement<'a>>,
    /// Name of the certification body, for example `INCERT AB`.
    pub body_name: &'a str,
    /// Accreditation statement, for example `SWEDAC ackreditering nr 1343`.
    pub accreditation: &'a str,
    /// Public verification address, encoded as a QR code and printed below it.
    pub verification_url: &'a str,
}

/// The certificate that replaced the one on the page, and the day of the replacement.
#[derive(Debug, Clone, Copy)]
pub struct Replacement<'a> {
    /// Number of the replacing certificate, for example `INC-2031-000417`.
    pub certificate_number: &'a str,
    pub replaced_on: NaiveDate,
}

/// Failure to render a certificate PDF.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The verification URL needs more than the largest QR code (version 40, error
    /// correction level M) can contain.
    #[error(
        "verification URL of {length} bytes is too long for a QR code, \
         so use a URL of at most 2331 bytes"
    )]
    VerificationUrlTooLong { length: usize },
    /// The QR code encoder rejected the verification URL for another reason.
    #[error("failed to encode the verification URL as a QR code: {0}")]
    QrCode(#[source] QrError),
}

/// Renders `document` as a single-page A4 PDF and returns the file's bytes.
///
/// Text that is too wide for its place on the page is wrapped onto a fixed number of
/// lines and then cut off with an ellipsis, so any input fits on the page.
///
/// # Errors
///
/// Returns [`PdfError::VerificationUrlTooLong`] when the verification URL does not fit
/// in the largest QR code (version 40, error correction level M).
pub fn render(document: &CertificateDocument<'_>) -> Result<Vec<u8>, PdfError> {
    let qr_code = encode_qr_code(document.verification_url)?;
    let labels = Labels::for_language(document.language);

    let mut content = Content::new();
    draw_frame(&mut content);
    draw_heading(&mut content, document, &labels);
    let table_top = draw_holder_and_certificate(&mut content, document, &labels);
    draw_value_table(&mut content, document, &labels, table_top);
    let link_area = draw_verification(&mut content, &qr_code, document.verification_url);
    draw_footer(&mut content, &labels);

    Ok(write_document(
        document,
        &labels,
        &content.finish(),
        link_area,
    ))
}

// Page geometry in PDF points (1/72 inch).
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
/// Horizontal margin of all text. Every text line stays between the margins.
const MARGIN: f32 = 64.0;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const OUTER_FRAME_INSET: f32 = 24.0;
const INNER_FRAME_INSET: f32 = 29.0;

const TABLE_WIDTH: f32 = 380.0;
const TABLE_LABEL_WIDTH: f32 = 170.0;
const TABLE_ROW_HEIGHT: f32 = 24.0;

/// Side of the QR code square, quiet zone included.
///
/// NOTE: The module size shrinks as the URL grows. A 70-byte URL gives modules of
/// about 2.8 pt, but a URL near the 2331-byte maximum gives about 0.7 pt, which phone
/// cameras may fail to read from paper.
const QR_CODE_SIZE: f32 = 124.0;
const QR_CODE_BOTTOM: f32 = 150.0;
/// Light modules on each side of the code. QR codes need a quiet zone of four modules
/// to scan reliably.
const QR_QUIET_ZONE_MODULES: usize = 4;

const ACCENT_COLOR: [f32; 3] = [0.06, 0.2, 0.38];
const TEXT_COLOR: [f32; 3] = [0.1, 0.1, 0.1];
const MUTED_COLOR: [f32; 3] = [0.38, 0.38, 0.38];

/// Fixed texts of the page in one language.
#[derive(Debug)]
struct Labels {
    title: &'static str,
    certifies_that: &'static str,
    holds_certificate: &'static str,
    type_code: &'static str,
    technical_area: &'static str,
    certificate_number: &'static str,
    issued_on: &'static str,
    valid_until: &'static str,
    next_renewal_on: &'static str,
    status: &'static str,
    /// Start of the replacement sentence, before the replacing certificate's number.
    replaced_by: &'static str,
    /// Word between the replacing certificate's number and the day of the replacement.
    replaced_on: &'static str,
    verification_footer: &'static str,
    language_tag: &'static str,
}

impl Labels {
    fn for_language(language: Language) -> Self {
        match language {
            Language::Swedish => Self {
                title: "Certifikat",
                certifies_that: "Härmed intygas att",
                holds_certificate: "innehar",
                type_code: "Typkod",
                technical_area: "Teknikområde",
                certificate_number: "Certifikatnummer",
                issued_on: "Utfärdat",
                valid_until: "Giltigt till",
                next_renewal_on: "Nästa årliga förlängning",
                status: "Status",
                replaced_by: "Ersatt av certifikat",
                replaced_on: "den",
                verification_footer: "Certifikatets äkthet och giltighet kan kontrolleras \
                    genom att skanna QR-koden eller öppna adressen ovan.",
                language_tag: "sv-SE",
            },
            Language::English => Self {
                title: "Certificate",
                certifies_that: "This is to certify that",
                holds_certificate: "holds the",
                type_code: "Type code",
                technical_area: "Technical area",
                certificate_number: "Certificate number",
                issued_on: "Issued",
                valid_until: "Valid until",
                next_renewal_on: "Next annual renewal",
                status: "Status",
                replaced_by: "Replaced by certificate",
                replaced_on: "on",
                verification_footer: "The authenticity and validity of this certificate \
                    can be verified by scanning the QR code or opening the address above.",
                language_tag: "en",
            },
        }
    }
}

fn encode_qr_code(url: &str) -> Result<QrCode, PdfError> {
    QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).map_err(|error| match error {
        QrError::DataTooLong => PdfError::VerificationUrlTooLong { length: url.len() },
        other => PdfError::QrCode(other),
    })
}

/// Draws a thin double border around the page.
fn draw_frame(content: &mut Content) {
    let [red, green, blue] = ACCENT_COLOR;
    content.save_state();
    content.set_stroke_rgb(red, green, blue);
    content.set_line_width(1.6);
    stroke_box(content, OUTER_FRAME_INSET);
    content.set_line_width(0.5);
    stroke_box(content, INNER_FRAME_INSET);
    content.restore_state();
}

/// Strokes a rectangle `inset` points inside the page edges. Uses a path instead of
/// the `re` operator, so that `re` only occurs in the QR code.
fn stroke_box(content: &mut Content, inset: f32) {
    content.move_to(inset, inset);
    content.line_to(PAGE_WIDTH - inset, inset);
    content.line_to(PAGE_WIDTH - inset, PAGE_HEIGHT - inset);
    content.line_to(inset, PAGE_HEIGHT - inset);
    content.close_path();
    content.stroke();
}

fn draw_horizontal_rule(content: &mut Content, x_start: f32, x_end: f32, y: f32, color: [f32; 3]) {
    let [red, green, blue] = color;
    content.save_state();
    content.set_stroke_rgb(red, green, blue);
    content.set_line_width(0.5);
    content.move_to(x_start, y);
    content.line_to(x_end, y);
    content.stroke();
    content.restore_state();
}

/// Draws the certification body, its accreditation and the page title.
fn draw_heading(content: &mut Content, document: &CertificateDocument<'_>, labels: &Labels) {
    let body = TextStyle::new(Font::Bold, 15.0, ACCENT_COLOR);
    let accreditation = TextStyle::new(Font::Regular, 10.0, MUTED_COLOR);
    let title = TextStyle::new(Font::Bold, 34.0, ACCENT_COLOR);

    draw_centered_lines(content, document.body_name, body, 772.0, 17.0, 1);
    draw_centered_lines(
        content,
        document.accreditation,
        accreditation,
        756.0,
        12.0,
        1,
    );
    draw_horizontal_rule(content, MARGIN, PAGE_WIDTH - MARGIN, 740.0, ACCENT_COLOR);
    draw_centered_lines(content, labels.title, title, 690.0, 36.0, 1);
}

/// Draws the holder's name, the certificate type and the technical area, and returns
/// the y coordinate where the value table starts.
///
/// Each text wraps onto at most two lines. With every text at two lines, the table
/// still ends above the QR code, which `render_all_long_fields_stay_inside_page` checks.
fn draw_holder_and_certificate(
    content: &mut Content,
    document: &CertificateDocument<'_>,
    labels: &Labels,
) -> f32 {
    let intro = TextStyle::new(Font::Regular, 12.0, MUTED_COLOR);
    let holder = TextStyle::new(Font::Bold, 26.0, TEXT_COLOR);
    let certificate_type = TextStyle::new(Font::Bold, 16.0, ACCENT_COLOR);
    let detail = TextStyle::new(Font::Regular, 11.0, TEXT_COLOR);

    let mut y = draw_centered_lines(content, labels.certifies_that, intro, 652.0, 14.0, 1);
    y = draw_centered_lines(content, document.holder_name, holder, y - 36.0, 30.0, 2);
    y = draw_centered_lines(content, labels.holds_certificate, intro, y - 30.0, 14.0, 1);
    y = draw_centered_lines(
        content,
        document.certificate_type_name,
        certificate_type,
        y - 26.0,
        20.0,
        2,
    );

    let type_code = format!("{}: {}", labels.type_code, document.certificate_type_code);
    y = draw_centered_lines(content, &type_code, detail, y - 22.0, 14.0, 1);
    let technical_area = format!(
        "{}: {}",
        labels.technical_area, document.technical_area_name
    );
    y = draw_centered_lines(content, &technical_area, detail, y - 16.0, 14.0, 2);
    y - 40.0
}

/// Draws the labelled values in a two-column table whose first row has its baseline
/// at `top`, and below it the replacement sentence of a replaced certificate.
///
/// A replaced certificate has no renewal row, so its sentence takes that row's place and
/// the table ends no lower than a table with a renewal row.
fn draw_value_table(
    content: &mut Content,
    document: &CertificateDocument<'_>,
    labels: &Labels,
    top: f32,
) {
    let mut rows = vec![
        (
            labels.certificate_number,
            document.certificate_number.to_owned(),
        ),
        (labels.issued_on, format_date(document.issued_on)),
        (labels.valid_until, format_date(document.valid_until)),
    ];
    if let Some(next_renewal_on) = document.next_renewal_on
        && document.replacement.is_none()
    {
        rows.push((labels.next_renewal_on, format_date(next_renewal_on)));
    }
    rows.push((labels.status, document.status_label.to_owned()));

    let label_style = TextStyle::new(Font::Regular, 10.5, MUTED_COLOR);
    let value_style = TextStyle::new(Font::Bold, 10.5, TEXT_COLOR);
    let table_left = (PAGE_WIDTH - TABLE_WIDTH) / 2.0;
    let table_right = table_left + TABLE_WIDTH;
    let value_left = table_left + TABLE_LABEL_WIDTH;
    let rule_color = [0.75, 0.75, 0.75];

    let mut baseline = top;
    draw_horizontal_rule(
        content,
        table_left,
        table_right,
        baseline + 15.0,
        rule_color,
    );
    for (label, value) in rows {
        let label_line = fit_line(
            &encode_win_ansi(label),
            label_style,
            TABLE_LABEL_WIDTH - 8.0,
        );
        draw_text(content, &label_line, label_style, table_left, baseline);
        let value_line = fit_line(
            &encode_win_ansi(&value),
            value_style,
            table_right - value_left,
        );
        draw_text(content, &value_line, value_style, value_left, baseline);
        draw_horizontal_rule(content, table_left, table_right, baseline - 9.0, rule_color);
        baseline -= TABLE_ROW_HEIGHT;
    }

    if let Some(replacement) = document.replacement {
        let sentence = format!(
            "{} {} {} {}",
            labels.replaced_by,
            replacement.certificate_number,
            labels.replaced_on,
            format_date(replacement.replaced_on)
        );
        let style = TextStyle::new(Font::Bold, 10.5, ACCENT_COLOR);
        let line = fit_line(&encode_win_ansi(&sentence), style, TABLE_WIDTH);
        draw_text(content, &line, style, table_left, baseline);
    }
}

/// Formats a date as `YYYY-MM-DD` (ISO 8601).
fn format_date(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Draws the QR code and the printed verification URL below it, and returns the area
/// they cover, for the link annotation.
fn draw_verification(content: &mut Content, qr_code: &QrCode, url: &str) -> Rect {
    let left = (PAGE_WIDTH - QR_CODE_SIZE) / 2.0;
    draw_qr_code(content, qr_code, left, QR_CODE_BOTTOM, QR_CODE_SIZE);

    let url_style = TextStyle::new(Font::Regular, 8.0, ACCENT_COLOR);
    let last_baseline = draw_centered_lines(content, url, url_style, QR_CODE_BOTTOM - 9.0, 10.0, 3);
    Rect::new(
        MARGIN,
        last_baseline - 3.0,
        PAGE_WIDTH - MARGIN,
        QR_CODE_BOTTOM + QR_CODE_SIZE,
    )
}

/// Draws `qr_code` as one filled `re` rectangle per dark module inside a square of side
/// `size` whose lower left corner is at (`left`, `bottom`). The square includes the
/// quiet zone, which stays unpainted on the white page.
fn draw_qr_code(content: &mut Content, qr_code: &QrCode, left: f32, bottom: f32, size: f32) {
    let width = qr_code.width();
    let module_size = size / (width + 2 * QR_QUIET_ZONE_MODULES) as f32;
    let origin_x = left + QR_QUIET_ZONE_MODULES as f32 * module_size;
    let top = bottom + size - QR_QUIET_ZONE_MODULES as f32 * module_size;

    content.save_state();
    content.set_fill_rgb(0.0, 0.0, 0.0);
    let colors = qr_code.to_colors();
    // The matrix is stored row by row from the top, and PDF's y axis points up.
    for (row, modules) in colors.chunks(width.max(1)).enumerate() {
        let y = top - (row + 1) as f32 * module_size;
        for (column, color) in modules.iter().enumerate() {
            if *color == Color::Dark {
                let x = origin_x + column as f32 * module_size;
                content.rect(x, y, module_size, module_size);
            }
        }
    }
    content.fill_nonzero();
    content.restore_state();
}

fn draw_footer(content: &mut Content, labels: &Labels) {
    let footer = TextStyle::new(Font::Regular, 8.5, MUTED_COLOR);
    draw_centered_lines(content, labels.verification_footer, footer, 56.0, 11.0, 2);
}

/// Writes the catalog, page, fonts, link annotation and document information around
/// the finished content stream.
fn write_document(
    document: &CertificateDocument<'_>,
    labels: &Labels,
    content: &[u8],
    link_area: Rect,
) -> Vec<u8> {
    let catalog_id = Ref::new(1);
    let page_tree_id = Ref::new(2);
    let page_id = Ref::new(3);
    let content_id = Ref::new(4);
    let regular_font_id = Ref::new(5);
    let bold_font_id = Ref::new(6);
    let info_id = Ref::new(7);
    let link_id = Ref::new(8);

    // A URI action must be 7-bit ASCII, so other URLs are left without a link.
    let url = document.verification_url;
    let has_link = !url.is_empty() && url.bytes().all(|byte| byte.is_ascii_graphic());

    let mut pdf = Pdf::new();
    pdf.catalog(catalog_id)
        .pages(page_tree_id)
        .lang(TextStr(labels.language_tag));
    pdf.pages(page_tree_id).kids([page_id]).count(1);

    let mut page = pdf.page(page_id);
    page.parent(page_tree_id)
        .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
        .contents(content_id);
    if has_link {
        page.annotations([link_id]);
    }
    page.resources()
        .fonts()
        .pair(Font::Regular.resource_name(), regular_font_id)
        .pair(Font::Bold.resource_name(), bold_font_id);
    page.finish();

    for (font, id) in [(Font::Regular, regular_font_id), (Font::Bold, bold_font_id)] {
        pdf.type1_font(id)
            .base_font(font.base_font_name())
            .encoding_predefined(Name(b"WinAnsiEncoding"));
    }

    if has_link {
        let mut link = pdf.annotation(link_id);
        link.subtype(AnnotationType::Link)
            .rect(link_area)
            .border(0.0, 0.0, 0.0, None);
        link.action()
            .action_type(ActionType::Uri)
            .uri(Str(url.as_bytes()));
        link.finish();
    }

    let title = format!("{} {}", labels.title, document.certificate_number);
    pdf.document_info(info_id)
        .title(TextStr(&title))
        .author(TextStr(document.body_name))
        .producer(TextStr("IncertOnline"));

    pdf.stream(content_id, content);
    pdf.finish()
}

/// One of the two standard Type 1 fonts used on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Font {
    Regular,
    Bold,
}

impl Font {
    fn resource_name(self) -> Name<'static> {
        match self {
            Self::Regular => Name(b"F1"),
            Self::Bold => Name(b"F2"),
        }
    }

    fn base_font_name(self) -> Name<'static> {
        match self {
            Self::Regular => Name(b"Helvetica"),
            Self::Bold => Name(b"Helvetica-Bold"),
        }
    }

    /// Returns the advance width of a Windows-1252 byte in 1/1000 em. Codes without a
    /// glyph (controls and the five unused codes in 0x80–0x9F) are counted as a full em,
    /// but `encode_win_ansi` never produces them.
    fn advance_width(self, byte: u8) -> u16 {
        let table = match self {
            Self::Regular => &HELVETICA_WIDTHS,
            Self::Bold => &HELVETICA_BOLD_WIDTHS,
        };
        match byte
            .checked_sub(0x20)
            .and_then(|index| table.get(usize::from(index)))
        {
            Some(&width) if width > 0 => width,
            _ => 1000,
        }
    }

    /// Returns the width of Windows-1252 `text` at `size` points, without kerning.
    fn text_width(self, text: &[u8], size: f32) -> f32 {
        let units: u32 = text
            .iter()
            .map(|&byte| u32::from(self.advance_width(byte)))
            .sum();
        units as f32 * size / 1000.0
    }
}

/// Font, size in points and fill color of a piece of text.
#[derive(Debug, Clone, Copy)]
struct TextStyle {
    font: Font,
    size: f32,
    color: [f32; 3],
}

impl TextStyle {
    fn new(font: Font, size: f32, color: [f32; 3]) -> Self {
        Self { font, size, color }
    }

    fn width(self, text: &[u8]) -> f32 {
        self.font.text_width(text, self.size)
    }
}

/// Draws Windows-1252 `text` with its baseline starting at (`x`, `y`).
fn draw_text(content: &mut Content, text: &[u8], style: TextStyle, x: f32, y: f32) {
    if text.is_empty() {
        return;
    }
    let [red, green, blue] = style.color;
    content.set_fill_rgb(red, green, blue);
    content.begin_text();
    content.set_font(style.font.resource_name(), style.size);
    content.next_line(x, y);
    content.show(Str(text));
    content.end_text();
}

/// Wraps `text` to the content width, draws each line centered with the first baseline
/// at `first_baseline`, and returns the baseline of the last line. Text that needs more
/// than `max_lines` lines is cut off with an ellipsis. Empty text takes up one line.
fn draw_centered_lines(
    content: &mut Content,
    text: &str,
    style: TextStyle,
    first_baseline: f32,
    line_height: f32,
    max_lines: usize,
) -> f32 {
    let lines = wrap_lines(&encode_win_ansi(text), style, CONTENT_WIDTH, max_lines);
    let mut baseline = first_baseline;
    for (index, line) in lines.iter().enumerate() {
        if index > 0 {
            baseline -= line_height;
        }
        let x = (PAGE_WIDTH - style.width(line)) / 2.0;
        draw_text(content, line, style, x, baseline);
    }
    baseline
}

/// Windows-1252 code of the ellipsis `…`.
const ELLIPSIS: u8 = 0x85;

/// Splits Windows-1252 `text` into lines no wider than `max_width` at `style`. Lines
/// break at spaces, and a word wider than a line (such as a URL) breaks between
/// characters. When the text needs more than `max_lines` lines, the last line kept
/// ends with an ellipsis. Returns no lines for empty text.
fn wrap_lines(text: &[u8], style: TextStyle, max_width: f32, max_lines: usize) -> Vec<Vec<u8>> {
    let max_lines = max_lines.max(1);
    let space_width = style.width(b" ");
    let mut lines: Vec<Vec<u8>> = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    let mut line_width = 0.0;

    // One line beyond `max_lines` is enough to know that the text was cut, so the
    // loops stop there and a 10 000-character name costs no more than a short one.
    'words: for word in text
        .split(|&byte| byte == b' ')
        .filter(|word| !word.is_empty())
    {
        let word_width = style.width(word);
        if !line.is_empty() && line_width + space_width + word_width <= max_width {
            line.push(b' ');
            line.extend_from_slice(word);
            line_width += space_width + word_width;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line_width = 0.0;
            if lines.len() > max_lines {
                break 'words;
            }
        }
        for &byte in word {
            let byte_width = style.width(&[byte]);
            if !line.is_empty() && line_width + byte_width > max_width {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
                if lines.len() > max_lines {
                    break 'words;
                }
            }
            line.push(byte);
            line_width += byte_width;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }

    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            *last = truncate_with_ellipsis(last, style, max_width);
        }
    }
    lines
}

/// Returns `text` unchanged when it fits in `max_width`, or else cut off with an
/// ellipsis so that it fits.
fn fit_line(text: &[u8], style: TextStyle, max_width: f32) -> Vec<u8> {
    if style.width(text) <= max_width {
        text.to_vec()
    } else {
        truncate_with_ellipsis(text, style, max_width)
    }
}

/// Shortens `text` until it fits in `max_width` with an ellipsis appended, and appends
/// the ellipsis.
fn truncate_with_ellipsis(text: &[u8], style: TextStyle, max_width: f32) -> Vec<u8> {
    let available = max_width - style.width(&[ELLIPSIS]);
    let mut line = Vec::new();
    let mut width = 0.0;
    for &byte in text {
        let byte_width = style.width(&[byte]);
        if width + byte_width > available {
            break;
        }
        line.push(byte);
        width += byte_width;
    }
    while line.last() == Some(&b' ') {
        line.pop();
    }
    line.push(ELLIPSIS);
    line
}

/// Encodes `text` to Windows-1252 (the byte values of `WinAnsiEncoding`).
///
/// - Runs of whitespace, line breaks included, become one space, and leading and
///   trailing whitespace is removed.
/// - A letter followed by a combining accent (decomposed Unicode, as some systems
///   send it) becomes the precomposed letter when Windows-1252 has it. Other combining
///   accents are dropped, which keeps the base letter.
/// - Invisible format characters (zero-width spaces and joiners, direction marks,
///   variation selectors, the byte order mark, soft hyphens) are dropped.
/// - Every other character outside Windows-1252, control characters and emoji
///   included, becomes `?`.
fn encode_win_ansi(text: &str) -> Vec<u8> {
    let mut encoded = Vec::with_capacity(text.len());
    let mut pending_space = false;
    let mut characters = text.chars().peekable();

    while let Some(character) = characters.next() {
        if character.is_whitespace() {
            pending_space = !encoded.is_empty();
            continue;
        }
        if is_invisible_format_character(character) || is_combining_mark(character) {
            continue;
        }
        let mut character = character;
        if let Some(&mark) = characters.peek()
            && let Some(composed) = compose_with_mark(character, mark)
        {
            character = composed;
            characters.next();
        }
        if pending_space {
            encoded.push(b' ');
            pending_space = false;
        }
        // NOTE: letters outside Windows-1252, such as Polish "ł" or Czech "ř", print as "?".
        // Showing them needs an embedded Unicode font instead of the standard Helvetica.
        encoded.push(win_ansi_byte(character).unwrap_or(b'?'));
    }
    encoded
}

/// Returns the Windows-1252 byte of a printable character, or `None` when the
/// encoding lacks it or the character is a control character.
fn win_ansi_byte(character: char) -> Option<u8> {
    let byte = match character {
        ' '..='~' | '\u{A0}'..='\u{FF}' => u8::try_from(u32::from(character)).ok()?,
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8A,
        '‹' => 0x8B,
        'Œ' => 0x8C,
        'Ž' => 0x8E,
        '\u{2018}' => 0x91,
        '\u{2019}' => 0x92,
        '\u{201C}' => 0x93,
        '\u{201D}' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9A,
        '›' => 0x9B,
        'œ' => 0x9C,
        'ž' => 0x9E,
        'Ÿ' => 0x9F,
        _ => return None,
    };
    Some(byte)
}

fn is_combining_mark(character: char) -> bool {
    matches!(character, '\u{0300}'..='\u{036F}')
}

fn is_invisible_format_character(character: char) -> bool {
    matches!(
        character,
        '\u{AD}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{E0020}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// Returns the precomposed letter for `base` followed by the combining accent `mark`,
/// for the letters that Windows-1252 contains.
fn compose_with_mark(base: char, mark: char) -> Option<char> {
    let (bases, composed) = match mark {
        '\u{0300}' => ("AEIOUaeiou", "ÀÈÌÒÙàèìòù"),
        '\u{0301}' => ("AEIOUYaeiouy", "ÁÉÍÓÚÝáéíóúý"),
        '\u{0302}' => ("AEIOUaeiou", "ÂÊÎÔÛâêîôû"),
        '\u{0303}' => ("ANOano", "ÃÑÕãñõ"),
        '\u{0308}' => ("AEIOUYaeiouy", "ÄËÏÖÜŸäëïöüÿ"),
        '\u{030A}' => ("Aa", "Åå"),
        '\u{030C}' => ("SZsz", "ŠŽšž"),
        '\u{0327}' => ("Cc", "Çç"),
        _ => return None,
    };
    let position = bases.chars().position(|candidate| candidate == base)?;
    composed.chars().nth(position)
}

// Advance widths in 1/1000 em of the Windows-1252 codes 0x20–0xFF, taken from Adobe's
// Core 14 font metrics (AFM 4.1) for Helvetica and Helvetica-Bold. Codes without a glyph
// in WinAnsiEncoding (0x7F, 0x81, 0x8D, 0x8F, 0x90, 0x9D) are 0.
#[rustfmt::skip]
const HELVETICA_WIDTHS: [u16; 224] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 584, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0x30
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // 0x50
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // 0x60
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, 0, // 0x70
    556, 0, 222, 556, 333, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, // 0x80
    0, 222, 222, 333, 333, 350, 556, 1000, 333, 1000, 500, 333, 944, 0, 500, 667, // 0x90
    278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 0xA0
    400, 584, 333, 333, 333, 556, 537, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 0xB0
    667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 0xC0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 0xD0
    556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, // 0xE0
    556, 556, 556, 556, 556, 556, 556, 584, 611, 556, 556, 556, 556, 500, 556, 500, // 0xF0
];

#[rustfmt::skip]
const HELVETICA_BOLD_WIDTHS: [u16; 224] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 584, 278, 278, // 0x20
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0x30
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // 0x40
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // 0x50
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // 0x60
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, 0, // 0x70
    556, 0, 278, 556, 500, 1000, 556, 556, 333, 1000, 667, 333, 1000, 0, 611, 0, // 0x80
    0, 278, 278, 500, 500, 350, 556, 1000, 333, 1000, 556, 333, 944, 0, 500, 667, // 0x90
    278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 333, 737, 333, // 0xA0
    400, 584, 333, 333, 333, 611, 556, 278, 333, 333, 365, 556, 834, 834, 834, 611, // 0xB0
    722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, // 0xC0
    722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, // 0xD0
    556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, // 0xE0
    611, 611, 611, 611, 611, 611, 611, 584, 611, 611, 611, 611, 611, 556, 611, 556, // 0xF0
];

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
mod tests {
    use super::*;

    const VERIFICATION_URL: &str =
        "https://online.incert.se/api/v1/public/certificates/INC-2026-000001";

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    fn sample_document(language: Language) -> CertificateDocument<'static> {
        CertificateDocument {
            language,
            holder_name: "Åsa Öberg",
            certificate_number: "INC-2026-000001",
            certificate_type_code: "KAT1",
            certificate_type_name: "Personcertifikat Kategori I",
            technical_area_name: "Köldmedier",
            issued_on: date(2026, 3, 14),
            valid_until: date(2031, 3, 13),
            next_renewal_on: Some(date(2027, 3, 14)),
            status_label: "Giltig",
            replacement: None,
            body_name: "INCERT AB",
            accreditation: "SWEDAC ackreditering nr 1343",
            verification_url: VERIFICATION_URL,
        }
    }

    /// Returns the data of the only stream in `pdf`, the page's content stream.
    fn content_stream(pdf: &[u8]) -> Vec<u8> {
        let start = find(pdf, b"stream\n").expect("no stream in the PDF") + b"stream\n".len();
        let length = find(&pdf[start..], b"\nendstream").expect("stream is not terminated");
        pdf[start..start + length].to_vec()
    }

    fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
        haystack
            .windows(needle.len())
            .position(|window| window == needle)
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        find(haystack, needle).is_some()
    }

    /// Decodes a PDF string operand, either literal `(…)` or hexadecimal `<…>`.
    fn decode_string(operand: &[u8]) -> Vec<u8> {
        match operand.first() {
            Some(b'<') => operand[1..operand.len() - 1]
                .chunks(2)
                .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
                .collect(),
            Some(b'(') => {
                let inner = &operand[1..operand.len() - 1];
                let mut decoded = Vec::new();
                let mut index = 0;
                while index < inner.len() {
                    let byte = inner[index];
                    index += 1;
                    if byte != b'\\' {
                        decoded.push(byte);
                        continue;
                    }
                    let escaped = inner[index];
                    index += 1;
                    match escaped {
                        b'n' => decoded.push(b'\n'),
                        b'r' => decoded.push(b'\r'),
                        b't' => decoded.push(b'\t'),
                        b'b' => decoded.push(0x08),
                        b'f' => decoded.push(0x0C),
                        b'0'..=b'7' => {
                            let mut value = u32::from(escaped - b'0');
                            for _ in 0..2 {
                                match inner.get(index) {
                                    Some(digit @ b'0'..=b'7') => {
                                        value = value * 8 + u32::from(digit - b'0');
                                        index += 1;
                                    }
                                    _ => break,
                                }
                            }
                            decoded.push(u8::try_from(value).unwrap());
                        }
                        other => decoded.push(other),
                    }
                }
                decoded
            }
            _ => panic!("not a string operand: {}", String::from_utf8_lossy(operand)),
        }
    }

    /// A text line as drawn by the content stream.
    #[derive(Debug)]
    struct Placement {
        font: Font,
        size: f32,
        x: f32,
        y: f32,
        text: Vec<u8>,
    }

    impl Placement {
        fn width(&self) -> f32 {
            self.font.text_width(&self.text, self.size)
        }

        /// Returns the box from the descender to the ascender of Helvetica (-207 and
        /// 718 in 1/1000 em) as (left, bottom, right, top).
        fn bounds(&self) -> (f32, f32, f32, f32) {
            (
                self.x,
                self.y - 0.207 * self.size,
                self.x + self.width(),
                self.y + 0.718 * self.size,
            )
        }
    }

    /// Parses the `Tf`, `Td` and `Tj` operators that `draw_text` writes.
    fn text_placements(stream: &[u8]) -> Vec<Placement> {
        let mut placements = Vec::new();
        let mut font = Font::Regular;
        let mut size = 0.0;
        let mut position = (0.0, 0.0);
        for line in stream.split(|&byte| byte == b'\n') {
            if let Some(operand) = line.strip_suffix(b" Tj") {
                placements.push(Placement {
                    font,
                    size,
                    x: position.0,
                    y: position.1,
                    text: decode_string(operand),
                });
                continue;
            }
            let text = String::from_utf8_lossy(line);
            let parts: Vec<&str> = text.split(' ').collect();
            match parts.as_slice() {
                [name, font_size, "Tf"] => {
                    font = if *name == "/F2" {
                        Font::Bold
                    } else {
                        Font::Regular
                    };
                    size = font_size.parse().unwrap();
                }
                [x, y, "Td"] => position = (x.parse().unwrap(), y.parse().unwrap()),
                _ => {}
            }
        }
        placements
    }

    fn shown_texts(pdf: &[u8]) -> Vec<Vec<u8>> {
        text_placements(&content_stream(pdf))
            .into_iter()
            .map(|placement| placement.text)
            .collect()
    }

    fn shows(pdf: &[u8], text: &str) -> bool {
        let encoded = encode_win_ansi(text);
        shown_texts(pdf)
            .iter()
            .any(|shown| contains(shown, &encoded))
    }

    fn count_dark_modules(url: &str) -> usize {
        QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)
            .unwrap()
            .to_colors()
            .iter()
            .filter(|color| **color == Color::Dark)
            .count()
    }

    fn assert_text_inside_margins(pdf: &[u8]) {
        let placements = text_placements(&content_stream(pdf));
        assert!(!placements.is_empty());
        for placement in &placements {
            let (left, bottom, right, top) = placement.bounds();
            let text = String::from_utf8_lossy(&placement.text);
            assert!(left >= MARGIN - 0.01, "{text:?} starts at x = {left}");
            assert!(
                right <= PAGE_WIDTH - MARGIN + 0.01,
                "{text:?} ends at x = {right}"
            );
            assert!(
                bottom >= INNER_FRAME_INSET,
                "{text:?} starts at y = {bottom}"
            );
            assert!(
                top <= PAGE_HEIGHT - INNER_FRAME_INSET,
                "{text:?} ends at y = {top}"
            );
        }
    }

    /// Asserts that no two text lines and no text line and the QR code overlap.
    fn assert_no_overlaps(pdf: &[u8]) {
        let placements = text_placements(&content_stream(pdf));
        let qr_left = (PAGE_WIDTH - QR_CODE_SIZE) / 2.0;
        let qr_code = (
            qr_left,
            QR_CODE_BOTTOM,
            qr_left + QR_CODE_SIZE,
            QR_CODE_BOTTOM + QR_CODE_SIZE,
        );
        let overlap = |a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)| {
            a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
        };
        for (index, first) in placements.iter().enumerate() {
            let first_text = String::from_utf8_lossy(&first.text);
            assert!(
                !overlap(first.bounds(), qr_code),
                "{first_text:?} overlaps the QR code"
            );
            for second in &placements[index + 1..] {
                assert!(
                    !overlap(first.bounds(), second.bounds()),
                    "{first_text:?} overlaps {:?}",
                    String::from_utf8_lossy(&second.text)
                );
            }
        }
    }

    #[test]
    fn render_output_has_pdf_header_and_trailer() {
        let pdf = render(&sample_document(Language::Swedish)).unwrap();

        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.ends_with(b"%%EOF"));
    }

    #[test]
    fn render_page_is_a4() {
        let pdf = render(&sample_document(Language::Swedish)).unwrap();

        assert!(contains(&pdf, b"/MediaBox [0 0 595.28 841.89]"));
        assert!(contains(&pdf, b"/Type /Pages"));
        assert!(contains(&pdf, b"/Count 1"));
    }

    #[test]
    fn render_uses_win_ansi_standard_fonts() {
        let pdf = render(&sample_document(Language::Swedish)).unwrap();

        assert!(contains(&pdf, b"/BaseFont /Helvetica\n"));
        assert!(contains(&pdf, b"/BaseFont /Helvetica-Bold\n"));
        assert!(!contains(&pdf, b"/FontFile"));
        assert!(!contains(&pdf, b"/Filter"));
        let encodings = pdf
            .windows(b"/Encoding /WinAnsiEncoding".len())
            .filter(|window| *window == b"/Encoding /WinAnsiEncoding")
            .count();
        assert_eq!(encodings, 2);
    }

    #[test]
    fn render_holder_name_in_windows_1252() {
        let pdf = render(&sample_document(Language::Swedish)).unwrap();
        let texts = shown_texts(&pdf);
        let name: &[u8] = &[0xC5, b's', b'a', b' ', 0xD6, b'b', b'e', b'r', b'g'];

        assert!(texts.iter().any(|text| text == name), "{texts:?}");
        // pdf-writer writes strings with bytes above 0x7F in hexadecimal form.
        assert!(contains(&content_stream(&pdf), b"<C5736120D662657267>"));
    }

    #[test]
    fn render_shows_certificate_data() {
        let pdf = render(&sample_document(Language::Swedish)).unwrap();
        let stream = content_stream(&pdf);

        assert!(contains(&stream, b"(INC-2026-000001) Tj"));
        assert!(shows(&pdf, "Personcertifikat Kategori I"));
        assert!(shows(&pdf, "Typkod: KAT1"));
        assert!(shows(&pdf, "Teknikområde: Köldmedier"));
        assert!(shows(&pdf, "INCERT AB"));
        assert!(shows(&pdf, "SWEDAC ackreditering nr 1343"));
        assert!(shows(&pdf, "Giltig"));
        assert!(shows(&pdf, VERIFICATION_URL));
    }

    #[test]
    fn render_formats_dates_as_iso_8601() {
        let pdf = render(&sample_document(Language::Swedish)).unwrap();

        assert!(shows(&pdf, "2026-03-14"));
        assert!(shows(&pdf, "2031-03-13"));
        assert!(shows(&pdf, "2027-03-14"));
        assert_eq!(format_date(date(33, 1, 2)), "0033-01-02");
    }

    #[test]
    fn render_swedish_labels() {
        let pdf = render(&sample_document(Language::Swedish)).unwrap();

        for label in [
            "Certifikat",
            "Härmed intygas att",
            "Certifikatnummer",
            "Utfärdat",
            "Giltigt till",
            "Nästa årliga förlängning",
            "Status",
            "Certifikatets äkthet och giltighet kan kontrolleras",
        ] {
            assert!(shows(&pdf, label), "missing {label:?}");
        }
    }

    #[test]
    fn render_english_labels_only() {
        let mut document = sample_document(Language::English);
        document.certificate_type_name = "Personal certificate Category I";
        document.technical_area_name = "Refrigerants";
        document.status_label = "Valid";
        document.accreditation = "SWEDAC accreditation no. 1343";
        let pdf = render(&document).unwrap();

        for label in [
            "Certificate",
            "This is to certify that",
            "Certificate number",
            "Issued",
            "Valid until",
            "Next annual renewal",
            "Status",
            "Type code: KAT1",
            "Technical area: Refrigerants",
            "can be verified by scanning the QR code",
        ] {
            assert!(shows(&pdf, label), "missing {label:?}");
        }
        for label in [
            "Certifikat",
            "Härmed intygas att",
            "innehar",
            "Utfärdat",
            "Giltigt till",
            "Nästa årliga förlängning",
            "Typkod",
            "Teknikområde",
            "kontrolleras",
        ] {
            assert!(!shows(&pdf, label), "Swedish {label:?} in English mode");
        }
        assert!(contains(&pdf, b"/Lang (en)"));
    }

    #[test]
    fn render_without_renewal_omits_row() {
        let mut document = sample_document(Language::Swedish);
        document.next_renewal_on = None;
        let pdf = render(&document).unwrap();

        assert!(!shows(&pdf, "Nästa årliga förlängning"));
        assert!(!shows(&pdf, "2027-03-14"));
        assert!(shows(&pdf, "Giltigt till"));
    }

    /// Returns the sample certificate, replaced by certificate INC-2031-000417 on 2031-02-01.
    fn replaced_document(
        language: Language,
        status_label: &'static str,
    ) -> CertificateDocument<'static> {
        let mut document = sample_document(language);
        document.status_label = status_label;
        document.replacement = Some(Replacement {
            certificate_number: "INC-2031-000417",
            replaced_on: date(2031, 2, 1),
        });
        document
    }

    #[test]
    fn render_replaced_names_replacement_without_renewal() {
        let pdf = render(&replaced_document(Language::Swedish, "Ersatt")).unwrap();

        assert!(shows(
            &pdf,
            "Ersatt av certifikat INC-2031-000417 den 2031-02-01"
        ));
        assert!(shows(&pdf, "Ersatt"));
        assert!(!shows(&pdf, "Nästa årliga förlängning"));
        assert!(!shows(&pdf, "2027-03-14"));
        assert!(shows(&pdf, "Giltigt till"));
        assert_text_inside_margins(&pdf);
        assert_no_overlaps(&pdf);
    }

    #[test]
    fn render_replaced_in_english() {
        let pdf = render(&replaced_document(Language::English, "Replaced")).unwrap();

        assert!(shows(
            &pdf,
            "Replaced by certificate INC-2031-000417 on 2031-02-01"
        ));
        assert!(!shows(&pdf, "Ersatt av"));
        assert!(!shows(&pdf, "Next annual renewal"));
    }

    #[test]
    fn qr_code_draws_each_dark_module() {
        let pdf = render(&sample_document(Language::Swedish)).unwrap();
        let stream = content_stream(&pdf);
        let rectangles = stream
            .split(|&byte| byte == b'\n')
            .filter(|line| line.ends_with(b" re"))
            .count();

        assert_eq!(rectangles, count_dark_modules(VERIFICATION_URL));
        assert!(rectangles > 0);
        assert!(contains(&stream, b"re\nf\n"));
    }

    #[test]
    fn qr_code_keeps_quiet_zone_clear() {
        let pdf = render(&sample_document(Language::Swedish)).unwrap();
        let stream = String::from_utf8_lossy(&content_stream(&pdf)).into_owned();
        let width = QrCode::with_error_correction_level(VERIFICATION_URL, EcLevel::M)
            .unwrap()
            .width();
        let module_size = QR_CODE_SIZE / (width + 2 * QR_QUIET_ZONE_MODULES) as f32;
        let quiet_zone = QR_QUIET_ZONE_MODULES as f32 * module_size;
        let left = (PAGE_WIDTH - QR_CODE_SIZE) / 2.0;

        for line in stream.lines().filter(|line| line.ends_with(" re")) {
            let values: Vec<f32> = line
                .split(' ')
                .take(4)
                .map(|value| value.parse().unwrap())
                .collect();
            let (x, y, side) = (values[0], values[1], values[2]);
            assert!(x >= left + quiet_zone - 0.01, "{line}");
            assert!(
                x + side <= left + QR_CODE_SIZE - quiet_zone + 0.01,
                "{line}"
            );
            assert!(y >= QR_CODE_BOTTOM + quiet_zone - 0.01, "{line}");
            assert!(
                y + side <= QR_CODE_BOTTOM + QR_CODE_SIZE - quiet_zone + 0.01,
                "{line}"
            );
        }
    }

    #[test]
    fn render_links_qr_code_to_verification_url() {
        let pdf = render(&sample_document(Language::Swedish)).unwrap();

        assert!(contains(&pdf, b"/Subtype /Link"));
        let uri = format!("/URI ({VERIFICATION_URL})");
        assert!(contains(&pdf, uri.as_bytes()));
    }

    #[test]
    fn render_non_ascii_url_without_link() {
        let mut document = sample_document(Language::Swedish);
        document.verification_url = "https://incert.example/kontroll/Åsa";
        let pdf = render(&document).unwrap();

        assert!(!contains(&pdf, b"/Subtype /Link"));
        assert!(shows(&pdf, "https://incert.example/kontroll/Åsa"));
    }

    #[test]
    fn render_sample_layout_has_no_overlaps() {
        let pdf = render(&sample_document(Language::Swedish)).unwrap();

        assert_text_inside_margins(&pdf);
        assert_no_overlaps(&pdf);
    }

    #[test]
    fn render_long_name_stays_inside_page() {
        let name = "Åsa Öberg ".repeat(1000);
        let mut document = sample_document(Language::Swedish);
        document.holder_name = &name;
        let pdf = render(&document).unwrap();
        let bold_26: Vec<Placement> = text_placements(&content_stream(&pdf))
            .into_iter()
            .filter(|placement| placement.font == Font::Bold && placement.size == 26.0)
            .collect();

        assert_eq!(name.chars().count(), 10_000);
        assert_eq!(bold_26.len(), 2, "the name takes two lines");
        assert_eq!(bold_26[1].text.last(), Some(&ELLIPSIS));
        assert_text_inside_margins(&pdf);
        assert_no_overlaps(&pdf);
    }

    #[test]
    fn render_unbroken_long_name_fits_page() {
        let name = "W".repeat(10_000);
        let mut document = sample_document(Language::English);
        document.holder_name = &name;
        let pdf = render(&document).unwrap();

        assert_text_inside_margins(&pdf);
        assert_no_overlaps(&pdf);
    }

    /// Builds a certificate whose text fields are all `text` or `word`, each longer than a line.
    fn long_document<'a>(text: &'a str, word: &'a str, url: &'a str) -> CertificateDocument<'a> {
        CertificateDocument {
            language: Language::Swedish,
            holder_name: text,
            certificate_number: word,
            certificate_type_code: word,
            certificate_type_name: text,
            technical_area_name: text,
            issued_on: date(2026, 3, 14),
            valid_until: date(2031, 3, 13),
            next_renewal_on: Some(date(2027, 3, 14)),
            status_label: text,
            replacement: None,
            body_name: text,
            accreditation: text,
            verification_url: url,
        }
    }

    #[test]
    fn render_all_long_fields_stay_inside_page() {
        let long_text = "Köldmedier och fluorerade växthusgaser ".repeat(100);
        let long_word = "INC-2026-000001".repeat(100);
        let long_url = format!("https://incert.example/{}", "a".repeat(2000));
        let document = long_document(&long_text, &long_word, &long_url);
        let pdf = render(&document).unwrap();

        assert_text_inside_margins(&pdf);
        assert_no_overlaps(&pdf);
        let rectangles = content_stream(&pdf)
            .split(|&byte| byte == b'\n')
            .filter(|line| line.ends_with(b" re"))
            .count();
        assert_eq!(rectangles, count_dark_modules(&long_url));
    }

    #[test]
    fn render_replaced_long_fields_stay_inside_page() {
        let long_text = "Köldmedier och fluorerade växthusgaser ".repeat(100);
        let long_word = "INC-2026-000001".repeat(100);
        let mut document = long_document(&long_text, &long_word, VERIFICATION_URL);
        document.replacement = Some(Replacement {
            certificate_number: &long_word,
            replaced_on: date(2031, 2, 1),
        });
        let pdf = render(&document).unwrap();

        assert!(shows(&pdf, "Ersatt av certifikat INC-2026-000001"));
        assert!(!shows(&pdf, "Nästa årliga förlängning"));
        assert_text_inside_margins(&pdf);
        assert_no_overlaps(&pdf);
    }

    #[test]
    fn render_emoji_name_as_question_marks() {
        let mut document = sample_document(Language::Swedish);
        document.holder_name = "😀🎉\u{1F469}\u{200D}\u{1F52C}\u{FE0F}";
        let pdf = render(&document).unwrap();

        assert!(shown_texts(&pdf).iter().any(|text| text == b"????"));
        assert_text_inside_margins(&pdf);
    }

    #[test]
    fn render_empty_fields() {
        let document = CertificateDocument {
            language: Language::Swedish,
            holder_name: "",
            certificate_number: "",
            certificate_type_code: "",
            certificate_type_name: "",
            technical_area_name: "",
            issued_on: date(2026, 1, 1),
            valid_until: date(2026, 1, 1),
            next_renewal_on: None,
            status_label: "",
            replacement: None,
            body_name: "",
            accreditation: "",
            verification_url: "",
        };
        let pdf = render(&document).unwrap();

        assert!(pdf.ends_with(b"%%EOF"));
        assert!(shows(&pdf, "Certifikatnummer"));
        assert!(!contains(&pdf, b"/Subtype /Link"));
        assert_text_inside_margins(&pdf);
    }

    #[test]
    fn render_control_characters() {
        let mut document = sample_document(Language::Swedish);
        document.holder_name = "Anna\0\u{7}\u{1B}[31m\r\n\tBerg\u{7F}\u{9B}\u{85}";
        let pdf = render(&document).unwrap();

        assert!(
            shown_texts(&pdf)
                .iter()
                .any(|text| text == b"Anna???[31m Berg??")
        );
        assert_text_inside_margins(&pdf);
    }

    #[test]
    fn render_escapes_string_delimiters() {
        let name = r"Anna (Test)) \Berg( ";
        let mut document = sample_document(Language::Swedish);
        document.holder_name = name;
        let pdf = render(&document).unwrap();

        assert!(
            shown_texts(&pdf)
                .iter()
                .any(|text| text == br"Anna (Test)) \Berg(")
        );
        assert!(!contains(&content_stream(&pdf), b"(Anna (Test))"));
    }

    #[test]
    fn render_rejects_too_long_verification_url() {
        let url = format!("https://incert.example/{}", "a".repeat(3000));
        let mut document = sample_document(Language::Swedish);
        document.verification_url = &url;
        let error = render(&document).unwrap_err();

        assert!(matches!(
            error,
            PdfError::VerificationUrlTooLong { length } if length == url.len()
        ));
        assert!(error.to_string().contains("2331 bytes"));

        let longest_url = format!("https://incert.example/{}", "a".repeat(2331 - 23));
        document.verification_url = &longest_url;
        assert_eq!(longest_url.len(), 2331);
        assert!(render(&document).is_ok());
    }

    #[test]
    fn encode_win_ansi_maps_swedish_letters() {
        assert_eq!(
            encode_win_ansi("ÅÄÖåäöéÉüÜ"),
            [0xC5, 0xC4, 0xD6, 0xE5, 0xE4, 0xF6, 0xE9, 0xC9, 0xFC, 0xDC]
        );
    }

    #[test]
    fn encode_win_ansi_maps_windows_1252_extensions() {
        assert_eq!(
            encode_win_ansi("€–—…„“”‘’Šš™Ÿ"),
            [
                0x80, 0x96, 0x97, 0x85, 0x84, 0x93, 0x94, 0x91, 0x92, 0x8A, 0x9A, 0x99, 0x9F
            ]
        );
    }

    #[test]
    fn encode_win_ansi_replaces_unsupported_characters() {
        assert_eq!(encode_win_ansi("Łódź 東京 😀"), b"?\xF3d? ?? ?");
        assert_eq!(encode_win_ansi("\u{0}\u{1F}\u{7F}\u{80}\u{9F}"), b"?????");
    }

    #[test]
    fn encode_win_ansi_collapses_whitespace() {
        assert_eq!(
            encode_win_ansi("  Åsa \t\n  Öberg \u{A0}\u{2003} "),
            b"\xC5sa \xD6berg"
        );
        assert_eq!(encode_win_ansi(" \n\t "), b"");
    }

    #[test]
    fn encode_win_ansi_composes_decomposed_letters() {
        assert_eq!(
            encode_win_ansi("A\u{30A}sa O\u{308}berg Ce\u{301}line S\u{30C}"),
            encode_win_ansi("Åsa Öberg Céline Š")
        );
        assert_eq!(encode_win_ansi("e\u{304}x\u{308}"), b"ex");
    }

    #[test]
    fn encode_win_ansi_drops_invisible_format_characters() {
        assert_eq!(
            encode_win_ansi("\u{FEFF}An\u{AD}na\u{200B} \u{200E}Berg\u{FE0F}"),
            b"Anna Berg"
        );
    }

    #[test]
    fn wrap_lines_fits_each_line() {
        let style = TextStyle::new(Font::Bold, 26.0, TEXT_COLOR);
        let text = encode_win_ansi(&"Åsa Öberg-Lindqvist ".repeat(20));
        let lines = wrap_lines(&text, style, CONTENT_WIDTH, 3);

        assert_eq!(lines.len(), 3);
        for line in &lines {
            assert!(style.width(line) <= CONTENT_WIDTH, "{line:?}");
            assert_ne!(line.first(), Some(&b' '));
        }
        assert_eq!(lines[2].last(), Some(&ELLIPSIS));
        let first_two = [lines[0].as_slice(), lines[1].as_slice()].join(&b' ');
        assert!(text.starts_with(&first_two), "lines break only at spaces");
    }

    #[test]
    fn wrap_lines_keeps_short_text_whole() {
        let style = TextStyle::new(Font::Regular, 12.0, TEXT_COLOR);

        assert_eq!(
            wrap_lines(b"Anna Berg", style, CONTENT_WIDTH, 2),
            [b"Anna Berg"]
        );
        assert!(wrap_lines(b"", style, CONTENT_WIDTH, 2).is_empty());
    }

    #[test]
    fn wrap_lines_breaks_long_word_between_characters() {
        let style = TextStyle::new(Font::Regular, 8.0, TEXT_COLOR);
        let url = "https://incert.example/".to_owned() + &"x".repeat(150);
        let lines = wrap_lines(url.as_bytes(), style, 100.0, 10);

        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), url.as_bytes());
        for line in &lines {
            assert!(style.width(line) <= 100.0);
        }
    }

    #[test]
    fn fit_line_truncates_with_ellipsis() {
        let style = TextStyle::new(Font::Bold, 10.5, TEXT_COLOR);
        let long = "INC-2026-000001 ".repeat(10);
        let fitted = fit_line(long.as_bytes(), style, 100.0);

        assert!(style.width(&fitted) <= 100.0);
        assert_eq!(fitted.last(), Some(&ELLIPSIS));
        assert_eq!(fit_line(b"Giltig", style, 100.0), b"Giltig");
    }

    #[test]
    fn advance_widths_match_helvetica_metrics() {
        assert_eq!(Font::Regular.advance_width(b' '), 278);
        assert_eq!(Font::Regular.advance_width(b'W'), 944);
        assert_eq!(Font::Regular.advance_width(0xC5), 667);
        assert_eq!(Font::Bold.advance_width(0xC5), 722);
        assert_eq!(Font::Bold.advance_width(ELLIPSIS), 1000);
        assert_eq!(Font::Regular.advance_width(0x81), 1000);
        assert_eq!(Font::Regular.advance_width(0x00), 1000);
    }
}

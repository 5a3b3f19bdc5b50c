//! Languages of the texts people read in API answers and emails. Swedish is the default.

use actix_web::HttpRequest;
use actix_web::http::header::ACCEPT_LANGUAGE;

/// A language the product's texts exist in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Language {
    #[default]
    Swedish,
    English,
}

impl Language {
    /// Picks the language from an `Accept-Language` header: the supported language with the
    /// highest quality value, Swedish when none is supported or the header is missing.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        let Some(header) = header else {
            return Self::default();
        };
        let mut best: Option<(Self, f32)> = None;
        for entry in header.split(',') {
            let mut parts = entry.split(';');
            let tag = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let quality = parts
                .find_map(|parameter| parameter.trim().strip_prefix("q="))
                .and_then(|value| value.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            let primary = tag.split('-').next().unwrap_or_default();
            let language = match primary {
                "sv" => Self::Swedish,
                "en" => Self::English,
                _ => continue,
            };
            if quality > 0.0 && best.is_none_or(|(_, best_quality)| quality > best_quality) {
                best = Some((language, quality));
            }
        }
        best.map(|(language, _)| language).unwrap_or_default()
    }

    pub fn from_request(request: &HttpRequest) -> Self {
        let header = request
            .headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|value| value.to_str().ok());
        Self::from_accept_language(header)
    }

    /// Returns the BCP 47 tag, for `Content-Language`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Swedish => "sv",
            Self::English => "en",
        }
    }

    /// Chooses between a Swedish and an English text.
    pub fn pick(self, swedish: &'static str, english: &'static str) -> &'static str {
        match self {
            Self::Swedish => swedish,
            Self::English => english,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Language;

    #[test]
    fn accept_language_picks_supported_language() {
        let cases = [
            (None, Language::Swedish),
            (Some(""), Language::Swedish),
            (Some("en"), Language::English),
            (Some("en-GB,en;q=0.9"), Language::English),
            (Some("sv-SE,sv;q=0.9,en;q=0.8"), Language::Swedish),
            (Some("de,en;q=0.5"), Language::English),
            (Some("de,fr"), Language::Swedish),
            (Some("sv;q=0.2,en;q=0.7"), Language::English),
            (Some("en;q=0"), Language::Swedish),
            (Some(";;;q=abc,,"), Language::Swedish),
        ];
        for (header, expected) in cases {
            assert_eq!(
                Language::from_accept_language(header),
                expected,
                "{header:?}"
            );
        }
    }
}

//! The cart's cross-sell texts: `addCrossSellCampaignText`, `updateCrossSellCampaignText`,
//! `getCrossSellTexts`.

use tco_core::{CrossSellText as CoreText, CrossSellTextInput, ErrorCode, Gateway, MerchantContext, Result};

use crate::lenient::Text;
use crate::operation::{Method, Operation, RestRequest, Route};
use crate::{wire_object, wire_params};

wire_object! {
    /// The title and description the cart shows above cross-sell offers in one `Language`
    /// (ISO 639-1: ar bg zh zh-tw cs da nl en fi fr de el he hi it ko no fa pl pt pt-br sk sl
    /// es sv th ro ru). Member names are read in any case (`language`, `title`, …).
    pub struct CrossSellText as "CrossSellText" {
        Language: Option<String>,
        Title: Option<String>,
        Description: Option<String>,
    }
}

impl From<CrossSellText> for CrossSellTextInput {
    fn from(text: CrossSellText) -> Self {
        CrossSellTextInput { language: text.Language, title: text.Title, description: text.Description }
    }
}

impl From<CoreText> for CrossSellText {
    fn from(text: CoreText) -> Self {
        CrossSellText {
            Language: Some(text.language),
            Title: Some(text.title),
            Description: Some(text.description),
        }
    }
}

wire_object! {
    /// The REST body of the two text calls: several texts in `Texts`, or one text as the body.
    pub struct CrossSellTexts as "CrossSellTexts" {
        Texts: Vec<CrossSellText>,
    }
}

/// A REST body: `{"Texts": […]}`, or one text.
fn texts(request: &RestRequest<'_>) -> Result<Vec<CrossSellText>> {
    let many: CrossSellTexts = request.body()?;
    if many.Texts.is_empty() { Ok(vec![request.body()?]) } else { Ok(many.Texts) }
}

const ERRORS: &[ErrorCode] = &[ErrorCode::MissingRequiredField, ErrorCode::InvalidField];

macro_rules! set_texts {
    ($operation:ident, $params:ident, $name:literal, $method:ident, $doc:literal) => {
        wire_params! {
            pub struct $params as $name {
                Texts: Vec<CrossSellText>,
            }
        }

        #[doc = concat!("`", $name, "`.")]
        #[derive(Debug)]
        pub struct $operation;

        impl Operation for $operation {
            const NAME: &'static str = $name;
            const DOC: &'static str = $doc;
            const ERRORS: &'static [ErrorCode] = ERRORS;
            const REST: &'static [Route] =
                &[Route::new(Method::$method, "/crosssells/texts").body(&CrossSellTexts::OBJECT)];
            type Params = $params;
            type Output = Vec<CrossSellText>;

            async fn call(
                gateway: &Gateway,
                merchant: &MerchantContext,
                params: Self::Params,
            ) -> Result<Vec<CrossSellText>> {
                let texts = params.Texts.into_iter().map(Into::into).collect();
                Ok(gateway.set_cross_sell_texts(merchant, texts).await?.into_iter().map(Into::into).collect())
            }

            fn bind(request: &RestRequest<'_>) -> Result<Self::Params> {
                Ok($params { Texts: texts(request)?, ..Default::default() })
            }

            fn summary(texts: &Vec<CrossSellText>) -> String {
                format!("{} texts", texts.len())
            }
        }
    };
}

set_texts!(
    AddCrossSellCampaignText,
    AddCrossSellCampaignTextParams,
    "addCrossSellCampaignText",
    Post,
    "Stores each text in place of the merchant's text in its language and returns all of the merchant's texts. The \
     REST route is the gateway's choice: its body is {\"Texts\": […]} or one text."
);

set_texts!(
    UpdateCrossSellCampaignText,
    UpdateCrossSellCampaignTextParams,
    "updateCrossSellCampaignText",
    Put,
    "As addCrossSellCampaignText: a text whose language has none yet is added."
);

wire_params! {
    pub struct GetCrossSellTextsParams as "getCrossSellTexts" {
        LanguageCode: Option<Text> = path("LanguageCode"),
    }
}

/// `getCrossSellTexts`.
#[derive(Debug)]
pub struct GetCrossSellTexts;

impl Operation for GetCrossSellTexts {
    const NAME: &'static str = "getCrossSellTexts";
    const DOC: &'static str = "The merchant's cross-sell text in the language given.";
    const ERRORS: &'static [ErrorCode] =
        &[ErrorCode::MissingRequiredField, ErrorCode::InvalidField, ErrorCode::CrossSellTextNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/crosssells/texts/{LanguageCode}")];
    type Params = GetCrossSellTextsParams;
    type Output = CrossSellText;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<CrossSellText> {
        let language = params.LanguageCode.map(|code| code.0).unwrap_or_default();
        Ok(gateway.cross_sell_text(merchant, &language).await?.into())
    }
}

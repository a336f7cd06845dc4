//! Price option groups: the vendor's PriceOptionGroup object and its operations.

use tco_core::{
    Amount, AmountInput, Error, ErrorCode, Gateway, MerchantContext, PriceImpactInput,
    PriceOptionGroup as CoreGroup, PriceOptionGroupInput, PriceOptionInput, Result, SubscriptionImpactInput,
};

use crate::lenient::Text;
use crate::money::Money;
use crate::operation::{Method, Operation, Route};
use crate::{wire_object, wire_params};

wire_object! {
    /// Options a shopper picks (users, support level…) that change the price or the billing
    /// cycle. `Type`: RADIO, CHECKBOX, INTERVAL (each option covers ScaleMin..ScaleMax, without
    /// overlaps) or COMBO. A group without a `Code` gets a generated one.
    pub struct PriceOptionGroup as "PriceOptionGroup" {
        Name: Option<String>,
        Description: Option<String>,
        Code: Option<String>,
        Type: Option<String>,
        Required: Option<bool>,
        Options: Vec<PriceOption>,
    }
}

wire_object! {
    /// One option; without a `Code`, its name's letters and digits in upper case.
    pub struct PriceOption as "PriceOption" {
        Name: Option<String>,
        Description: Option<String>,
        Code: Option<String>,
        Default: Option<bool>,
        ScaleMin: Option<i64>,
        ScaleMax: Option<i64>,
        SubscriptionImpact: Option<SubscriptionImpact>,
        PriceImpact: Option<PriceImpact>,
    }
}

wire_object! {
    /// `Months` added to (`ADD`) or taken from (`SUBTRACT`) the billing cycle.
    pub struct SubscriptionImpact as "SubscriptionImpact" {
        Months: Option<i64>,
        Impact: Option<String>,
    }
}

wire_object! {
    /// `Method` FIXED (an amount per currency) or PERCENT; `Impact` ADD or SUBTRACT.
    pub struct PriceImpact as "PriceImpact" {
        Impact: Option<String>,
        Method: Option<String>,
        Percent: Option<Money>,
        Amounts: Vec<CurrencyAmount>,
    }
}

wire_object! {
    pub struct CurrencyAmount as "CurrencyAmount" {
        Currency: Option<String>,
        Amount: Option<Money>,
    }
}

impl CurrencyAmount {
    pub fn into_input(self) -> AmountInput {
        AmountInput { currency: self.Currency, amount: self.Amount.map(|amount| amount.0) }
    }
}

impl From<&Amount> for CurrencyAmount {
    fn from(amount: &Amount) -> Self {
        CurrencyAmount { Currency: Some(amount.currency.clone()), Amount: Some(Money(amount.amount)) }
    }
}

impl From<PriceOptionGroup> for PriceOptionGroupInput {
    fn from(group: PriceOptionGroup) -> Self {
        PriceOptionGroupInput {
            code: group.Code,
            name: group.Name,
            description: group.Description,
            group_type: group.Type,
            required: group.Required,
            options: group
                .Options
                .into_iter()
                .map(|option| PriceOptionInput {
                    code: option.Code,
                    name: option.Name,
                    description: option.Description,
                    default: option.Default,
                    scale_min: option.ScaleMin,
                    scale_max: option.ScaleMax,
                    price_impact: option.PriceImpact.map(|impact| PriceImpactInput {
                        impact: impact.Impact,
                        method: impact.Method,
                        percent: impact.Percent.map(|percent| percent.0),
                        amounts: impact.Amounts.into_iter().map(CurrencyAmount::into_input).collect(),
                    }),
                    subscription_impact: option.SubscriptionImpact.map(|impact| SubscriptionImpactInput {
                        months: impact.Months,
                        impact: impact.Impact,
                    }),
                })
                .collect(),
        }
    }
}

impl From<CoreGroup> for PriceOptionGroup {
    fn from(group: CoreGroup) -> Self {
        PriceOptionGroup {
            Name: Some(group.name),
            Description: group.description,
            Code: Some(group.code),
            Type: Some(group.group_type.as_str().to_owned()),
            Required: Some(group.required),
            Options: group
                .options
                .into_iter()
                .map(|option| PriceOption {
                    Name: Some(option.name),
                    Description: option.description,
                    Code: Some(option.code),
                    Default: Some(option.default),
                    ScaleMin: option.scale_min,
                    ScaleMax: option.scale_max,
                    SubscriptionImpact: option.subscription_impact.map(|impact| SubscriptionImpact {
                        Months: Some(impact.months),
                        Impact: Some(impact.impact.as_str().to_owned()),
                    }),
                    PriceImpact: option.price_impact.map(|impact| PriceImpact {
                        Impact: Some(impact.impact.as_str().to_owned()),
                        Method: Some(impact.method.as_str().to_owned()),
                        Percent: impact.percent.map(Money),
                        Amounts: impact.amounts.iter().map(CurrencyAmount::from).collect(),
                    }),
                })
                .collect(),
        }
    }
}

wire_params! {
    pub struct AddPriceOptionGroupParams as "addPriceOptionGroup" {
        PriceOptionGroup: Option<PriceOptionGroup> = body,
    }
}

/// `addPriceOptionGroup`.
#[derive(Debug)]
pub struct AddPriceOptionGroup;

impl Operation for AddPriceOptionGroup {
    const NAME: &'static str = "addPriceOptionGroup";
    const DOC: &'static str = "Adds a price option group and returns true. Name, Type and at least one option are \
         required; its Code is generated when none is sent. The `/priceoptions/` REST routes are the gateway's \
         choice: the vendor documents none.";
    const ERRORS: &'static [ErrorCode] =
        &[ErrorCode::MissingRequiredField, ErrorCode::InvalidField, ErrorCode::DuplicatePriceOptionGroupCode];
    const REST: &'static [Route] =
        &[Route::new(Method::Post, "/priceoptions").body(&PriceOptionGroup::OBJECT)];
    type Params = AddPriceOptionGroupParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let group = params.PriceOptionGroup.ok_or(Error::MissingField("PriceOptionGroup"))?;
        gateway.add_price_option_group(merchant, group.into()).await?;
        Ok(true)
    }
}

wire_params! {
    pub struct UpdatePriceOptionGroupParams as "updatePriceOptionGroup" {
        PriceOptionGroup: Option<PriceOptionGroup> = body,
    }
    rest {
        target: Option<String> = path("GroupCode"),
    }
}

/// `updatePriceOptionGroup`.
#[derive(Debug)]
pub struct UpdatePriceOptionGroup;

impl Operation for UpdatePriceOptionGroup {
    const NAME: &'static str = "updatePriceOptionGroup";
    const DOC: &'static str =
        "Replaces the price option group its Code names (on REST, the path's) and returns true.";
    const ERRORS: &'static [ErrorCode] =
        &[ErrorCode::MissingRequiredField, ErrorCode::InvalidField, ErrorCode::PriceOptionGroupNotFound];
    const REST: &'static [Route] =
        &[Route::new(Method::Put, "/priceoptions/{GroupCode}").body(&PriceOptionGroup::OBJECT)];
    type Params = UpdatePriceOptionGroupParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let mut group = params.PriceOptionGroup.ok_or(Error::MissingField("PriceOptionGroup"))?;
        if let Some(target) = params.target {
            group.Code = Some(target);
        }
        gateway.update_price_option_group(merchant, group.into()).await?;
        Ok(true)
    }
}

wire_params! {
    pub struct GetPriceOptionGroupParams as "getPriceOptionGroup" {
        GroupCode: Option<Text> = path("GroupCode"),
    }
}

/// `getPriceOptionGroup`.
#[derive(Debug)]
pub struct GetPriceOptionGroup;

impl Operation for GetPriceOptionGroup {
    const NAME: &'static str = "getPriceOptionGroup";
    const DOC: &'static str = "The price option group with this code.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::PriceOptionGroupNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/priceoptions/{GroupCode}")];
    type Params = GetPriceOptionGroupParams;
    type Output = PriceOptionGroup;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<PriceOptionGroup> {
        let code = Text::or_empty(params.GroupCode);
        Ok(gateway.price_option_group(merchant, &code).await?.into())
    }

    fn summary(group: &PriceOptionGroup) -> String {
        group.Code.clone().unwrap_or_default()
    }
}

wire_params! {
    pub struct GetAssignedPriceOptionGroupsParams as "getAssignedPriceOptionGroups" {
        ProductCode: Option<Text> = path("ProductCode"),
    }
}

/// `getAssignedPriceOptionGroups`.
#[derive(Debug)]
pub struct GetAssignedPriceOptionGroups;

impl Operation for GetAssignedPriceOptionGroups {
    const NAME: &'static str = "getAssignedPriceOptionGroups";
    const DOC: &'static str = "The price option groups the product's pricing configurations offer, in the order \
         they name them.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::ProductNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/products/{ProductCode}/priceoptions")];
    type Params = GetAssignedPriceOptionGroupsParams;
    type Output = Vec<PriceOptionGroup>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<Vec<PriceOptionGroup>> {
        let code = Text::or_empty(params.ProductCode);
        let groups = gateway.assigned_price_option_groups(merchant, &code).await?;
        Ok(groups.into_iter().map(PriceOptionGroup::from).collect())
    }

    fn summary(groups: &Vec<PriceOptionGroup>) -> String {
        format!("{} groups", groups.len())
    }
}

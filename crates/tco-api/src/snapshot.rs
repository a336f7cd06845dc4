//! A merchant's whole state as a data file (`GET /_admin/snapshot`, `tco-gateway snapshot`): its
//! account settings in the data file's own sections, and its stored state under `"Snapshot"` —
//! the rows the store keeps, table by table — which loading (`--fixtures`, `POST /_admin/data`)
//! puts back into a merchant that has none, references, `RefNo`s and dates as they were. No
//! secret goes in: not the secret key, not the buy-link secret word, not the legacy API password.

use serde_json::{Map, Value, json};
use tco_core::{Cell, MerchantConfig, StoredState, TableRows};

use crate::lenient::WireError;
use crate::shipping::ShippingMethod;

fn cell(value: &Cell) -> Value {
    match value {
        Cell::Null => Value::Null,
        Cell::Integer(value) => Value::from(*value),
        Cell::Real(value) => serde_json::Number::from_f64(*value).map_or(Value::Null, Value::Number),
        Cell::Text(value) => Value::String(value.clone()),
    }
}

fn decimal(value: tco_core::Decimal) -> Value {
    // The data file reads money leniently: a string keeps every digit.
    Value::String(value.normalize().to_string())
}

/// The merchant's account settings as the data file's sections.
fn settings(config: &MerchantConfig) -> Map<String, Value> {
    let mut out = Map::new();
    let currencies: Vec<Value> = config
        .currencies
        .iter()
        .map(|currency| {
            json!({"Code": currency.code, "ISO3DigitCode": currency.iso3_digit_code, "Label": currency.label,
                   "Symbol": currency.symbol, "SymbolPosition": currency.symbol_position,
                   "DecimalSeparator": currency.decimal_separator, "UnitSeparator": currency.unit_separator,
                   "Decimals": currency.decimals})
        })
        .collect();
    out.insert("Currencies".into(), Value::Array(currencies));
    let availability: Map<String, Value> = config
        .availability
        .iter()
        .map(|(country, methods)| (country.to_ascii_uppercase(), json!(methods)))
        .collect();
    out.insert("CurrencyAvailability".into(), Value::Object(availability));
    let vat: Map<String, Value> = config
        .vat_rates
        .iter()
        .map(|(country, rate)| (country.to_ascii_uppercase(), decimal(*rate)))
        .collect();
    out.insert("VatRates".into(), Value::Object(vat));
    out.insert("CartTemplates".into(), json!(config.cart_templates));
    let rates: Map<String, Value> =
        config.exchange_rates.iter().map(|(code, rate)| (code.clone(), decimal(*rate))).collect();
    out.insert("ExchangeRates".into(), Value::Object(rates));
    out.insert("HomeCountry".into(), Value::String(config.home_country.to_ascii_uppercase()));
    let methods: Vec<Value> = config
        .shipping_methods
        .iter()
        .map(|method| serde_json::to_value(ShippingMethod::from(method)).unwrap_or(Value::Null))
        .collect();
    out.insert("ShippingMethods".into(), Value::Array(methods));
    let partners: Vec<Value> = config
        .partners
        .iter()
        .map(|partner| {
            let users: Vec<Value> = partner
                .users
                .iter()
                .map(|user| json!({"Email": user.email, "FirstName": user.first_name, "LastName": user.last_name}))
                .collect();
            json!({"PartnerCode": partner.code, "UUID": partner.uuid, "CompanyCommercialName": partner.name,
                   "Active": partner.active, "Country": partner.country.to_ascii_uppercase(), "Users": users,
                   "PricingLists": partner.pricing_lists})
        })
        .collect();
    out.insert("Partners".into(), Value::Array(partners));
    let lists: Vec<Value> = config
        .pricing_lists
        .iter()
        .map(|list| {
            json!({"Code": list.code, "Name": list.name, "Default": list.default, "Currency": list.currency,
                   "PartnerMargin": decimal(list.partner_margin), "Products": list.products})
        })
        .collect();
    out.insert("PricingLists".into(), Value::Array(lists));
    let refunds = &config.refunds;
    out.insert(
        "Refunds".into(),
        json!({"SettleAfterSeconds": refunds.settle_after.num_seconds(), "AgeLimitDays": refunds.age_limit.num_days(),
               "DisablesSubscriptions": refunds.disables_subscriptions}),
    );
    out
}

/// The data file of one merchant's snapshot.
pub fn document(merchant_code: &str, config: &MerchantConfig, state: &StoredState) -> Value {
    let mut merchant = Map::new();
    merchant.insert("Code".into(), Value::String(merchant_code.to_owned()));
    merchant.extend(settings(config));
    let tables: Vec<Value> = state
        .tables
        .iter()
        .map(|table| {
            let rows: Vec<Value> =
                table.rows.iter().map(|row| Value::Array(row.iter().map(cell).collect())).collect();
            json!({"Table": table.table, "Columns": table.columns, "Rows": rows})
        })
        .collect();
    merchant.insert("Snapshot".into(), json!({"Schema": state.schema, "Tables": tables}));
    json!({"Merchants": [merchant]})
}

/// A data file's `"Snapshot"` section.
pub(crate) fn read(value: &Value) -> Result<StoredState, WireError> {
    let invalid = |what: &str| WireError(format!("Snapshot: {what}"));
    let schema = value.get("Schema").and_then(Value::as_i64).ok_or_else(|| invalid("Schema is missing"))?;
    let mut tables = Vec::new();
    for table in value.get("Tables").and_then(Value::as_array).ok_or_else(|| invalid("Tables is missing"))? {
        let name =
            table.get("Table").and_then(Value::as_str).ok_or_else(|| invalid("a table has no name"))?;
        let columns: Vec<String> = table
            .get("Columns")
            .and_then(Value::as_array)
            .ok_or_else(|| invalid("a table has no columns"))?
            .iter()
            .map(|column| column.as_str().map(str::to_owned).ok_or_else(|| invalid("a column is not a name")))
            .collect::<Result<_, _>>()?;
        let mut rows = Vec::new();
        for row in
            table.get("Rows").and_then(Value::as_array).ok_or_else(|| invalid("a table has no rows"))?
        {
            let row = row.as_array().ok_or_else(|| invalid("a row is not a list"))?;
            let cells = row
                .iter()
                .map(|value| match value {
                    Value::Null => Ok(Cell::Null),
                    Value::Number(number) => match number.as_i64() {
                        Some(integer) => Ok(Cell::Integer(integer)),
                        None => {
                            number.as_f64().map(Cell::Real).ok_or_else(|| invalid("a number is out of range"))
                        }
                    },
                    Value::String(text) => Ok(Cell::Text(text.clone())),
                    Value::Bool(flag) => Ok(Cell::Integer(i64::from(*flag))),
                    _ => Err(invalid("a value is not a number, a string or null")),
                })
                .collect::<Result<Vec<_>, _>>()?;
            rows.push(cells);
        }
        tables.push(TableRows { table: name.to_owned(), columns, rows });
    }
    Ok(StoredState { schema, tables })
}

//! The legacy API's calls: each with its API 6.0 successor (or none: deprecated), what it does
//! and its parameters — the table the router, the deprecation answers and the OpenAPI document
//! ([`crate::openapi`]) are made from.

/// One legacy call.
#[derive(Debug, Clone, Copy)]
pub struct LegacyCall {
    /// `group/call`.
    pub name: &'static str,
    /// The API 6.0 call that replaces it; `None`: deprecated, answered with an error.
    pub successor: Option<&'static str>,
    /// Reads take a GET's query (a POST's form too); writes a POST's form.
    pub writes: bool,
    pub summary: &'static str,
    /// Name, required, description.
    pub parameters: &'static [(&'static str, bool, &'static str)],
}

const fn read(
    name: &'static str,
    successor: &'static str,
    summary: &'static str,
    parameters: &'static [(&'static str, bool, &'static str)],
) -> LegacyCall {
    LegacyCall { name, successor: Some(successor), writes: false, summary, parameters }
}

const fn write(
    name: &'static str,
    successor: &'static str,
    summary: &'static str,
    parameters: &'static [(&'static str, bool, &'static str)],
) -> LegacyCall {
    LegacyCall { name, successor: Some(successor), writes: true, summary, parameters }
}

const fn deprecated(name: &'static str) -> LegacyCall {
    LegacyCall {
        name,
        successor: None,
        writes: true,
        summary: "Deprecated by 2Checkout: answers 400 FORBIDDEN saying so.",
        parameters: &[],
    }
}

const PAGING: [(&str, bool, &str); 2] =
    [("cur_page", false, "The page, from 1"), ("pagesize", false, "Entries per page, 1 to 100 (20)")];

pub const CALLS: &[LegacyCall] = &[
    read(
        "sales/detail_sale",
        "getOrder",
        "A sale (an order) with its customer, its invoices (the order and its renewal and upgrade orders) and \
         their lineitems, and its comments.",
        &[
            ("sale_id", false, "The order's RefNo"),
            ("invoice_id", false, "An invoice's RefNo (its sale is read)"),
        ],
    ),
    read(
        "sales/list_sales",
        "searchOrders",
        "Sales (not renewals) that match, newest first unless sorted, a page of them, with page_info.",
        &[
            ("sale_id", false, "A RefNo"),
            ("invoice_id", false, "A RefNo"),
            ("customer_name", false, "Part of the buyer's name"),
            ("customer_email", false, "The buyer's e-mail address"),
            ("customer_phone", false, "The start of the buyer's phone"),
            ("vendor_product_id", false, "A product code on the sale"),
            ("sale_date_begin", false, "YYYY-MM-DD"),
            ("sale_date_end", false, "YYYY-MM-DD"),
            ("refunded", false, "1: only refunded sales, 0: none"),
            ("active_recurrings", false, "1: only sales with a renewing line, 0: none"),
            (
                "sort_col",
                false,
                "sale_id, date_placed, customer_name, recurring, recurring_declined, usd_total",
            ),
            ("sort_dir", false, "ASC or DESC"),
            PAGING[0],
            PAGING[1],
        ],
    ),
    write(
        "sales/refund_invoice",
        "issueRefund",
        "Refunds an invoice's remaining balance, or amount of it.",
        &[
            ("sale_id", false, "The sale (its first invoice)"),
            ("invoice_id", false, "The invoice"),
            ("amount", false, "Partial refund amount (with currency)"),
            ("currency", false, "usd, vendor or customer"),
            ("comment", true, "Why"),
            ("category", true, "1 to 17; 7 is internal and refused"),
        ],
    ),
    write(
        "sales/refund_lineitem",
        "issueRefund",
        "Refunds what is left of one lineitem.",
        &[
            ("lineitem_id", true, "The invoice's RefNo and the line's two-digit position"),
            ("comment", true, "Why"),
            ("category", true, "1 to 17; 7 is internal and refused"),
        ],
    ),
    write(
        "sales/stop_lineitem_recurring",
        "disableRecurringBilling",
        "Turns the lineitem's subscription's automatic renewal off.",
        &[("lineitem_id", true, "The invoice's RefNo and the line's two-digit position")],
    ),
    write(
        "sales/create_comment",
        "addSubscriptionAdditionalInformationField",
        "Adds a comment to the sale, shown by detail_sale.",
        &[("sale_id", true, "The sale"), ("sale_comment", true, "Up to 5,000 characters, no < or >")],
    ),
    deprecated("sales/mark_shipped"),
    deprecated("sales/reauth"),
    read("products/list_products", "searchProducts", "Every product, a page of them.", &PAGING),
    read(
        "products/detail_product",
        "getProductById",
        "One product.",
        &[("product_id", true, "The product's id (6.0 ProductId)")],
    ),
    write(
        "products/create_product",
        "addProduct",
        "A product priced in USD; recurring=1 with recurrence (\"1 Month\") makes a subscription plan.",
        &[
            ("name", true, "Its name"),
            ("price", true, "Its USD price"),
            ("vendor_product_id", false, "Its code (6.0 ProductCode)"),
            ("description", false, "Short description"),
            ("long_description", false, "Long description"),
            ("tangible", false, "1 for a physical product"),
            ("weight", false, "Kilograms"),
            ("recurring", false, "1 for a subscription plan"),
            ("recurrence", false, "\"N Week|Month|Year\""),
        ],
    ),
    write(
        "products/update_product",
        "updateProduct",
        "Changes the fields given.",
        &[
            ("product_id", true, "The product's id"),
            ("name", false, "Its name"),
            ("price", false, "Its USD price"),
            ("description", false, "Short description"),
            ("long_description", false, "Long description"),
        ],
    ),
    deprecated("products/delete_product"),
    read(
        "products/list_options",
        "getAssignedPriceOptionGroups",
        "Every option (price option group).",
        &PAGING,
    ),
    read(
        "products/detail_option",
        "getPriceOptionGroup",
        "One option.",
        &[("option_id", true, "The group's code")],
    ),
    write(
        "products/create_option",
        "addPriceOptionGroup",
        "An option with one value and its USD surcharge.",
        &[
            ("option_name", true, "Its name"),
            ("option_value_name", true, "The value's name"),
            ("option_value_surcharge", false, "USD added to the price (0)"),
        ],
    ),
    write(
        "products/update_option",
        "updatePriceOptionGroup",
        "Renames the option; changes the value option_value_id names, or adds a value.",
        &[
            ("option_id", true, "The group's code"),
            ("option_name", false, "Its new name"),
            ("option_value_id", false, "The value to change"),
            ("option_value_name", false, "The value's name"),
            ("option_value_surcharge", false, "USD added to the price"),
        ],
    ),
    deprecated("products/delete_option"),
    read("products/list_coupons", "searchPromotions", "The coupons of every enabled promotion.", &[]),
    read(
        "products/detail_coupon",
        "getPromotion",
        "One coupon.",
        &[("coupon_code", true, "The coupon code")],
    ),
    write(
        "products/create_coupon",
        "addPromotion",
        "A promotion with this one coupon: type sale (every product) or product (the product_ids).",
        &[
            ("coupon_code", true, "The code"),
            ("type", false, "sale (default) or product; shipping is refused"),
            ("percentage_off", false, "Percent off"),
            ("value_off", false, "USD off"),
            ("date_expire", false, "YYYY-MM-DD"),
            ("product_id", false, "Repeatable: the products a product coupon discounts"),
        ],
    ),
    write(
        "products/update_coupon",
        "updatePromotionCoupon",
        "Changes the coupon's expiry, discount or products.",
        &[
            ("coupon_code", true, "The code"),
            ("percentage_off", false, "Percent off"),
            ("value_off", false, "USD off"),
            ("date_expire", false, "YYYY-MM-DD"),
            ("product_id", false, "Repeatable"),
        ],
    ),
    write(
        "products/delete_coupon",
        "deletePromotionCoupon",
        "Removes the coupon (a promotion's last coupon disables the promotion).",
        &[("coupon_code", true, "The code")],
    ),
    deprecated("acct/detail_company_info"),
    deprecated("acct/detail_contact_info"),
    deprecated("acct/list_payments"),
    read(
        "acct/detail_pending_payment",
        "getOrder",
        "As detail_sale (its 6.0 successor is getOrder).",
        &[("sale_id", false, "The order's RefNo"), ("invoice_id", false, "An invoice's RefNo")],
    ),
];

/// The call `group/call` names.
pub fn find(name: &str) -> Option<&'static LegacyCall> {
    CALLS.iter().find(|call| call.name == name)
}

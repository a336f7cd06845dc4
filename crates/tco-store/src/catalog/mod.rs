//! The catalog: the [`CatalogStore`] port. Lookups go by a unique key (the merchant's code
//! with the product's, group's or option group's code; or the product id, the merchant compared
//! after).

pub(crate) mod documents;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use tco_core::{
    CatalogStore, PriceOptionGroup, Product, ProductFields, ProductGroup, ProductId, ProductKey,
    ProductQuery, ProductType, StoreResult, UpgradeSchema,
};

use crate::SqlStore;
use crate::db::{Conn, Counter, DbError, Param, Row, params};
use crate::query::{Query, Search, in_order};
use documents::{OptionGroupDocument, ProductDocument, UpgradeDocument, from_json, to_json};

macro_rules! product_select {
    ($condition:literal) => {
        concat!(
            "SELECT p.id, p.merchant_code, p.code, p.name, p.product_type, p.enabled, p.group_code, p.document, \
             g.name AS group_name, g.template_name, g.description AS group_description, g.enabled AS group_enabled \
             FROM tco_products p LEFT JOIN tco_product_groups g \
             ON g.merchant_code = p.merchant_code AND g.code = p.group_code WHERE ",
            $condition
        )
    };
}

pub(crate) const PRODUCT_BY_CODE: &str = product_select!("p.merchant_code = $1 AND p.code = $2");
pub(crate) const PRODUCT_BY_ID: &str = product_select!("p.id = $1");

pub(crate) const GROUP_BY_CODE: &str = "SELECT code, name, template_name, description, enabled \
    FROM tco_product_groups WHERE merchant_code = $1 AND code = $2";

pub(crate) const OPTION_GROUP_BY_CODE: &str =
    "SELECT code, document FROM tco_price_option_groups WHERE merchant_code = $1 AND code = $2";

fn product(row: &Row) -> Result<Product, DbError> {
    let document: ProductDocument = from_json(&row.text("document")?)?;
    let product_type = row.text("product_type")?;
    let product_type = ProductType::parse(&product_type)
        .ok_or_else(|| DbError::Decode(format!("a stored product type: {product_type}")))?;
    let fields = document.into_fields(
        row.text("code")?,
        row.text("name")?,
        product_type,
        row.flag("enabled")?,
        row.optional_text("group_code")?,
    )?;
    let group = match (&fields.group_code, row.optional_text("group_name")?) {
        (Some(code), Some(name)) => Some(ProductGroup {
            code: code.clone(),
            name,
            template_name: row.text("template_name")?,
            description: row.optional_text("group_description")?,
            enabled: row.flag("group_enabled")?,
        }),
        _ => None,
    };
    Ok(Product { id: row.integer("id")?, fields, group })
}

fn group(row: &Row) -> Result<ProductGroup, DbError> {
    Ok(ProductGroup {
        code: row.text("code")?,
        name: row.text("name")?,
        template_name: row.text("template_name")?,
        description: row.optional_text("description")?,
        enabled: row.flag("enabled")?,
    })
}

fn option_group(row: &Row) -> Result<PriceOptionGroup, DbError> {
    let document: OptionGroupDocument = from_json(&row.text("document")?)?;
    document.into_model(row.text("code")?)
}

/// The columns a product's insert and update both write: `$3` … `$8`.
fn product_values(fields: &ProductFields) -> Result<Vec<Param>, DbError> {
    Ok(params![
        &fields.name,
        fields.name.to_lowercase(),
        fields.product_type.as_str(),
        fields.enabled,
        &fields.group_code,
        to_json(&ProductDocument::of(fields))?,
    ])
}

async fn find_product(
    conn: &mut dyn Conn,
    merchant_code: &str,
    key: &ProductKey,
) -> Result<Option<Product>, DbError> {
    let row = match key {
        ProductKey::Code(code) => {
            conn.optional(PRODUCT_BY_CODE, &[Param::from(merchant_code), Param::from(code)]).await?
        }
        ProductKey::Id(id) => conn.optional(PRODUCT_BY_ID, &[Param::Integer(*id)]).await?,
    };
    match row {
        Some(row) if row.text("merchant_code")? == merchant_code => product(&row).map(Some),
        _ => Ok(None),
    }
}

#[async_trait]
impl CatalogStore for SqlStore {
    async fn insert_product(
        &self,
        merchant_code: &str,
        fields: &ProductFields,
        now: DateTime<Utc>,
    ) -> StoreResult<ProductId> {
        let mut insert = params![merchant_code, &fields.code];
        insert.extend(product_values(fields).map_err(DbError::into_store)?);
        insert.push(Param::from(now));
        self.backend
            .write(move |conn| {
                let insert = insert.clone();
                Box::pin(async move {
                    let id = Counter::ProductId.next(conn).await?;
                    let mut values = vec![Param::Integer(id)];
                    values.extend(insert);
                    conn.execute(
                        "INSERT INTO tco_products (id, merchant_code, code, name, name_key, product_type, enabled, \
                         group_code, document, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)",
                        &values,
                    )
                    .await?;
                    Ok(id)
                })
            })
            .await
    }

    async fn update_product(
        &self,
        merchant_code: &str,
        fields: &ProductFields,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut update = params![merchant_code, &fields.code];
        update.extend(product_values(fields).map_err(DbError::into_store)?);
        update.push(Param::from(now));
        self.backend
            .write(move |conn| {
                let update = update.clone();
                Box::pin(async move {
                    let changed = conn
                        .execute(
                            "UPDATE tco_products SET name = $3, name_key = $4, product_type = $5, enabled = $6, \
                             group_code = $7, document = $8, updated_at = $9 WHERE merchant_code = $1 AND code = $2",
                            &update,
                        )
                        .await?;
                    Ok(changed > 0)
                })
            })
            .await
    }

    async fn find_product(&self, merchant_code: &str, key: &ProductKey) -> StoreResult<Option<Product>> {
        let (merchant_code, key) = (merchant_code.to_owned(), key.clone());
        self.backend
            .read(move |conn| {
                let (merchant_code, key) = (merchant_code.clone(), key.clone());
                Box::pin(async move { find_product(conn, &merchant_code, &key).await })
            })
            .await
    }

    async fn search_products(
        &self,
        merchant_code: &str,
        query: &ProductQuery,
    ) -> StoreResult<(Vec<Product>, u64)> {
        let (merchant_code, query) = (merchant_code.to_owned(), query.clone());
        self.backend
            .read(move |conn| {
                let (merchant_code, query) = (merchant_code.clone(), query.clone());
                Box::pin(async move { search(conn, &merchant_code, &query).await })
            })
            .await
    }

    async fn set_product_group(
        &self,
        merchant_code: &str,
        product_code: &str,
        group_code: &str,
    ) -> StoreResult<bool> {
        let values = params![merchant_code, product_code, group_code];
        Ok(self
            .backend
            .execute("UPDATE tco_products SET group_code = $3 WHERE merchant_code = $1 AND code = $2", values)
            .await?
            > 0)
    }

    async fn set_upgrade_schema(
        &self,
        merchant_code: &str,
        product_code: &str,
        schema: &UpgradeSchema,
    ) -> StoreResult<bool> {
        let document = to_json(&UpgradeDocument::of(schema)).map_err(DbError::into_store)?;
        let values = params![merchant_code, product_code, document];
        Ok(self
            .backend
            .execute(
                "UPDATE tco_products SET upgrade_schema = $3 WHERE merchant_code = $1 AND code = $2",
                values,
            )
            .await?
            > 0)
    }

    async fn upgrade_schema(
        &self,
        merchant_code: &str,
        product_code: &str,
    ) -> StoreResult<Option<UpgradeSchema>> {
        let key = params![merchant_code, product_code];
        self.backend
            .read(move |conn| {
                let key = key.clone();
                Box::pin(async move {
                    let row = conn
                        .optional(
                            "SELECT upgrade_schema FROM tco_products WHERE merchant_code = $1 AND code = $2",
                            &key,
                        )
                        .await?;
                    match row.map(|row| row.optional_text("upgrade_schema")).transpose()?.flatten() {
                        Some(text) => from_json::<UpgradeDocument>(&text)?.into_model().map(Some),
                        None => Ok(None),
                    }
                })
            })
            .await
    }

    async fn upgrade_targets(&self, merchant_code: &str, from_code: &str) -> StoreResult<Vec<String>> {
        let key = params![merchant_code];
        let from_code = from_code.to_owned();
        self.backend
            .read(move |conn| {
                let (key, from_code) = (key.clone(), from_code.clone());
                Box::pin(async move {
                    let rows = conn
                        .query(
                            "SELECT code, upgrade_schema FROM tco_products WHERE merchant_code = $1 \
                             AND upgrade_schema IS NOT NULL ORDER BY code",
                            &key,
                        )
                        .await?;
                    let mut targets = Vec::new();
                    for row in rows {
                        let schema =
                            from_json::<UpgradeDocument>(&row.text("upgrade_schema")?)?.into_model()?;
                        if schema.allow_upgrade_from.iter().any(|code| code.eq_ignore_ascii_case(&from_code))
                        {
                            targets.push(row.text("code")?);
                        }
                    }
                    Ok(targets)
                })
            })
            .await
    }

    async fn insert_price_option_group(
        &self,
        merchant_code: &str,
        group: &PriceOptionGroup,
    ) -> StoreResult<()> {
        let document = to_json(&OptionGroupDocument::of(group)).map_err(DbError::into_store)?;
        let values = params![merchant_code, &group.code, document];
        self.backend
            .execute(
                "INSERT INTO tco_price_option_groups (merchant_code, code, document) VALUES ($1, $2, $3)",
                values,
            )
            .await
            .map(|_| ())
    }

    async fn update_price_option_group(
        &self,
        merchant_code: &str,
        group: &PriceOptionGroup,
    ) -> StoreResult<bool> {
        let document = to_json(&OptionGroupDocument::of(group)).map_err(DbError::into_store)?;
        let values = params![merchant_code, &group.code, document];
        Ok(self
            .backend
            .execute(
                "UPDATE tco_price_option_groups SET document = $3 WHERE merchant_code = $1 AND code = $2",
                values,
            )
            .await?
            > 0)
    }

    async fn price_option_groups(&self, merchant_code: &str) -> StoreResult<Vec<PriceOptionGroup>> {
        self.backend
            .rows(
                "SELECT code, document FROM tco_price_option_groups WHERE merchant_code = $1 ORDER BY code",
                params![merchant_code],
                option_group,
            )
            .await
    }

    async fn find_price_option_groups(
        &self,
        merchant_code: &str,
        codes: &[String],
    ) -> StoreResult<Vec<PriceOptionGroup>> {
        let keys: Vec<Vec<Param>> = codes.iter().map(|code| params![merchant_code, code]).collect();
        self.backend
            .read(move |conn| {
                let keys = keys.clone();
                Box::pin(async move {
                    let mut groups = Vec::with_capacity(keys.len());
                    for key in keys {
                        if let Some(row) = conn.optional(OPTION_GROUP_BY_CODE, &key).await? {
                            groups.push(option_group(&row)?);
                        }
                    }
                    Ok(groups)
                })
            })
            .await
    }

    async fn insert_product_group(&self, merchant_code: &str, group: &ProductGroup) -> StoreResult<()> {
        let values = group_values(merchant_code, group);
        self.backend
            .execute(
                "INSERT INTO tco_product_groups (merchant_code, code, name, name_key, template_name, \
                         description, enabled) VALUES ($1, $2, $3, $4, $5, $6, $7)",
                values,
            )
            .await
            .map(|_| ())
    }

    async fn update_product_group(&self, merchant_code: &str, group: &ProductGroup) -> StoreResult<bool> {
        let values = group_values(merchant_code, group);
        Ok(self
            .backend
            .execute(
                "UPDATE tco_product_groups SET name = $3, name_key = $4, template_name = $5, \
                             description = $6, enabled = $7 WHERE merchant_code = $1 AND code = $2",
                values,
            )
            .await?
            > 0)
    }

    async fn find_product_group(&self, merchant_code: &str, code: &str) -> StoreResult<Option<ProductGroup>> {
        let key = params![merchant_code, code];
        self.backend
            .read(move |conn| {
                let key = key.clone();
                Box::pin(
                    async move { conn.optional(GROUP_BY_CODE, &key).await?.as_ref().map(group).transpose() },
                )
            })
            .await
    }

    async fn product_groups(&self, merchant_code: &str) -> StoreResult<Vec<ProductGroup>> {
        self.backend
            .rows(
                "SELECT code, name, template_name, description, enabled FROM tco_product_groups \
                 WHERE merchant_code = $1 ORDER BY name_key, code",
                params![merchant_code],
                group,
            )
            .await
    }
}

fn group_values(merchant_code: &str, group: &ProductGroup) -> Vec<Param> {
    params![
        merchant_code,
        &group.code,
        &group.name,
        group.name.to_lowercase(),
        &group.template_name,
        &group.description,
        group.enabled,
    ]
}

/// With codes, each is looked up by its unique key and the other filters apply in memory (the
/// list is short); without, the filters run in SQL.
async fn search(
    conn: &mut dyn Conn,
    merchant_code: &str,
    query: &ProductQuery,
) -> Result<(Vec<Product>, u64), DbError> {
    let offset = usize::try_from(query.offset()).unwrap_or(usize::MAX);
    let limit = query.limit as usize;
    if !query.codes.is_empty() {
        let mut found = Vec::new();
        for code in &query.codes {
            if let Some(product) = find_product(conn, merchant_code, &ProductKey::Code(code.clone())).await?
                && matches(&product, query)
                && !found.iter().any(|known: &Product| known.id == product.id)
            {
                found.push(product);
            }
        }
        found.sort_by_key(|product| product.id);
        let count = found.len() as u64;
        return Ok((found.into_iter().skip(offset).take(limit).collect(), count));
    }
    let search = product_search(merchant_code, query);
    let (count_sql, count_params) = search.count();
    let count = conn.one(count_sql, &count_params).await?;
    let (keys_sql, keys_params) = search.keys(query.limit, query.offset());
    let keys: Vec<Param> = conn
        .query(keys_sql, &keys_params)
        .await?
        .iter()
        .map(|row| row.integer("id").map(Param::Integer))
        .collect::<Result<_, _>>()?;
    if keys.is_empty() {
        return Ok((Vec::new(), u64::try_from(count.integer("count")?).unwrap_or_default()));
    }
    let (rows_sql, rows_params) = search.rows(
        "SELECT p.id, p.merchant_code, p.code, p.name, p.product_type, p.enabled, p.group_code, p.document, \
         g.name AS group_name, g.template_name, g.description AS group_description, g.enabled AS group_enabled \
         FROM tco_products p LEFT JOIN tco_product_groups g ON g.merchant_code = p.merchant_code \
         AND g.code = p.group_code",
        &keys,
    );
    let rows = conn.query(rows_sql, &rows_params).await?;
    let items = rows.iter().map(product).collect::<Result<Vec<_>, _>>()?;
    let items = in_order(&keys, items, |product| Param::Integer(product.id));
    Ok((items, u64::try_from(count.integer("count")?).unwrap_or_default()))
}

/// A product search without codes: the merchant's products by id, the filters it has (a part of
/// the name is looked for in each; the merchant's products are few).
pub(crate) fn product_search(merchant_code: &str, query: &ProductQuery) -> Search {
    let mut filter = Query::new(
        "FROM tco_products p LEFT JOIN tco_product_groups g ON g.merchant_code = p.merchant_code \
         AND g.code = p.group_code WHERE p.merchant_code = ?",
        [Param::from(merchant_code)],
    );
    if let Some(name) = &query.name {
        filter.and(
            "p.name_key LIKE ? ESCAPE '\\'",
            [Param::from(format!("%{}%", like_escaped(&name.to_lowercase())))],
        );
    }
    if !query.types.is_empty() {
        let marks = vec!["?"; query.types.len()].join(", ");
        filter.and(
            &format!("p.product_type IN ({marks})"),
            query.types.iter().map(|kind| Param::from(kind.as_str())),
        );
    }
    if let Some(enabled) = query.enabled {
        filter.and("p.enabled = ?", [Param::from(enabled)]);
    }
    if let Some(group) = &query.group_name {
        filter.and("g.name_key = ?", [Param::from(group.to_lowercase())]);
    }
    Search { filter, order: "p.id", key: "p.id" }
}

/// The filters other than codes, as SQL applies them.
fn matches(product: &Product, query: &ProductQuery) -> bool {
    let name_ok = query
        .name
        .as_ref()
        .is_none_or(|part| product.fields.name.to_lowercase().contains(&part.to_lowercase()));
    let type_ok = query.types.is_empty() || query.types.contains(&product.fields.product_type);
    let enabled_ok = query.enabled.is_none_or(|enabled| product.fields.enabled == enabled);
    let group_ok = query.group_name.as_ref().is_none_or(|name| {
        product.group.as_ref().is_some_and(|group| group.name.to_lowercase() == name.to_lowercase())
    });
    name_ok && type_ok && enabled_ok && group_ok
}

/// A name part for `LIKE … ESCAPE '\'`: its own `%`, `_` and `\` match themselves.
fn like_escaped(part: &str) -> String {
    let mut escaped = String::with_capacity(part.len());
    for c in part.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

//! Product groups: the vendor's ProductGroup object and its operations.

use tco_core::{
    Error, ErrorCode, Gateway, MerchantContext, ProductGroup as CoreGroup, ProductGroupInput, Result,
};

use crate::lenient::Text;
use crate::operation::{Method, Operation, Route};
use crate::{wire_object, wire_params};

wire_object! {
    /// A group of products sharing a cart template. `Code` (10 upper-case hex digits) is
    /// generated: sent on create it is ignored; on update it names the group.
    pub struct ProductGroup as "ProductGroup" {
        Name: Option<String>,
        Code: Option<String>,
        TemplateName: Option<String>,
        Description: Option<String>,
        Enabled: Option<bool>,
    }
}

impl From<ProductGroup> for ProductGroupInput {
    fn from(group: ProductGroup) -> Self {
        ProductGroupInput {
            code: group.Code,
            name: group.Name,
            template_name: group.TemplateName,
            description: group.Description,
            enabled: group.Enabled,
        }
    }
}

impl From<CoreGroup> for ProductGroup {
    fn from(group: CoreGroup) -> Self {
        ProductGroup {
            Name: Some(group.name),
            Code: Some(group.code),
            TemplateName: Some(group.template_name),
            Description: group.description,
            Enabled: Some(group.enabled),
        }
    }
}

const WRITE_ERRORS: &[ErrorCode] =
    &[ErrorCode::MissingRequiredField, ErrorCode::InvalidField, ErrorCode::DuplicateProductGroupName];

wire_params! {
    pub struct AddProductGroupParams as "addProductGroup" {
        ProductGroup: Option<ProductGroup> = body,
    }
}

/// `addProductGroup`.
#[derive(Debug)]
pub struct AddProductGroup;

impl Operation for AddProductGroup {
    const NAME: &'static str = "addProductGroup";
    const DOC: &'static str = "Adds a product group and returns true; its Code is generated. Names are unique per \
         merchant (any case); TemplateName must be one of the merchant's cart templates (default: the first).";
    const ERRORS: &'static [ErrorCode] = WRITE_ERRORS;
    const REST: &'static [Route] = &[Route::new(Method::Post, "/productgroups").body(&ProductGroup::OBJECT)];
    type Params = AddProductGroupParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let group = params.ProductGroup.ok_or(Error::MissingField("ProductGroup"))?;
        gateway.add_product_group(merchant, group.into()).await?;
        Ok(true)
    }
}

wire_params! {
    pub struct UpdateProductGroupParams as "updateProductGroup" {
        ProductGroup: Option<ProductGroup> = body,
    }
    rest {
        target: Option<String> = path("ProductGroupCode"),
    }
}

/// `updateProductGroup`.
#[derive(Debug)]
pub struct UpdateProductGroup;

impl Operation for UpdateProductGroup {
    const NAME: &'static str = "updateProductGroup";
    const DOC: &'static str = "Replaces the name, template, description and status of the group its Code names (on \
         REST, the path's) and returns true. The REST route is the gateway's choice: the vendor documents none.";
    const ERRORS: &'static [ErrorCode] = &[
        ErrorCode::MissingRequiredField,
        ErrorCode::InvalidField,
        ErrorCode::DuplicateProductGroupName,
        ErrorCode::ProductGroupNotFound,
    ];
    const REST: &'static [Route] =
        &[Route::new(Method::Put, "/productgroups/{ProductGroupCode}").body(&ProductGroup::OBJECT)];
    type Params = UpdateProductGroupParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let mut group = params.ProductGroup.ok_or(Error::MissingField("ProductGroup"))?;
        if let Some(target) = params.target {
            group.Code = Some(target);
        }
        gateway.update_product_group(merchant, group.into()).await?;
        Ok(true)
    }
}

wire_params! {
    pub struct GetProductGroupParams as "getProductGroup" {
        groupCode: Option<Text> = path("ProductGroupCode"),
    }
}

/// `getProductGroup`.
#[derive(Debug)]
pub struct GetProductGroup;

impl Operation for GetProductGroup {
    const NAME: &'static str = "getProductGroup";
    const DOC: &'static str = "The product group with this code.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::ProductGroupNotFound];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/productgroups/{ProductGroupCode}")];
    type Params = GetProductGroupParams;
    type Output = ProductGroup;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        params: Self::Params,
    ) -> Result<ProductGroup> {
        let code = Text::or_empty(params.groupCode);
        Ok(gateway.product_group(merchant, &code).await?.into())
    }

    fn summary(group: &ProductGroup) -> String {
        group.Code.clone().unwrap_or_default()
    }
}

wire_params! {
    pub struct GetProductGroupsParams as "getProductGroups" {}
}

/// `getProductGroups`.
#[derive(Debug)]
pub struct GetProductGroups;

impl Operation for GetProductGroups {
    const NAME: &'static str = "getProductGroups";
    const DOC: &'static str = "Every product group of the merchant, ordered by name. The vendor documents the REST \
         route; the JSON-RPC and SOAP name is the gateway's reading of it.";
    const ERRORS: &'static [ErrorCode] = &[];
    const REST: &'static [Route] = &[Route::new(Method::Get, "/productgroups")];
    type Params = GetProductGroupsParams;
    type Output = Vec<ProductGroup>;

    async fn call(
        gateway: &Gateway,
        merchant: &MerchantContext,
        _: Self::Params,
    ) -> Result<Vec<ProductGroup>> {
        Ok(gateway.product_groups(merchant).await?.into_iter().map(ProductGroup::from).collect())
    }

    fn summary(groups: &Vec<ProductGroup>) -> String {
        format!("{} groups", groups.len())
    }
}

wire_params! {
    pub struct AssignProductGroupParams as "assignProductGroup" {
        productCode: Option<Text> = path("ProductCode"),
        groupCode: Option<Text> = path("ProductGroupCode"),
    }
}

/// `assignProductGroup`.
#[derive(Debug)]
pub struct AssignProductGroup;

impl Operation for AssignProductGroup {
    const NAME: &'static str = "assignProductGroup";
    const DOC: &'static str = "Moves the product into the group (whose cart template it then uses) and returns true. The REST route is \
         the gateway's choice: the vendor documents none.";
    const ERRORS: &'static [ErrorCode] = &[ErrorCode::ProductGroupNotFound, ErrorCode::ProductNotFound];
    const REST: &'static [Route] =
        &[Route::new(Method::Post, "/productgroups/{ProductGroupCode}/products/{ProductCode}")];
    type Params = AssignProductGroupParams;
    type Output = bool;

    async fn call(gateway: &Gateway, merchant: &MerchantContext, params: Self::Params) -> Result<bool> {
        let product = Text::or_empty(params.productCode);
        let group = Text::or_empty(params.groupCode);
        gateway.assign_product_group(merchant, &product, &group).await?;
        Ok(true)
    }
}

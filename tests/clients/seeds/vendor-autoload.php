<?php
// Stands for the vendor's internal autoloader the upgrade-schema sample requires: the one class
// it uses, with the values its constants name (PRICING_SCHEME_PRICE_DIFFERENCE is scheme 2,
// SUBSCRIPTION_UPGRADE_TYPE_PROLONG_SUBSCRIPTION type 2, and the operator keeps the vendor's
// spelling).
namespace Api\Resources\Product\Assets;

class UpgradeSettings
{
    const PRICING_SCHEME_PRICE_DIFFERENCE = 2;
    const OPTION_PRICE_OPERATOR_SUBSTRACT = 'SUBSTRACT';
    const SUBSCRIPTION_UPGRADE_TYPE_PROLONG_SUBSCRIPTION = 2;
}

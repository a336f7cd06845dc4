<?php
// Lists as a merchant's PHP code reads them: a default SoapClient (no SOAP_SINGLE_ELEMENT_ARRAYS,
// no classmap) must give PHP arrays — indexable with [0], countable, foreach-able — for one
// element and for several, over SOAP 1.1 (?wsdl) and SOAP 1.2 (?wsdl12). PHP arrays sent in
// requests are read back as sent. Exits non-zero on the first surprise.

$host = getenv('TCO_URL');
$merchantCode = getenv('TCO_MERCHANT_CODE');
$key = getenv('TCO_MERCHANT_SECRET');

function check($condition, $what) {
    if (!$condition) {
        fwrite(STDERR, "FAILED: $what\n");
        exit(1);
    }
    echo "ok: $what\n";
}

function is_list_of($value, $count) {
    return is_array($value) && count($value) === $count && ($count === 0 || array_keys($value) === range(0, $count - 1));
}

$billing = new stdClass();
$billing->FirstName = 'Array';
$billing->LastName = 'Reader';
$billing->Email = 'arrays@example.com';
$billing->Address1 = '1 List Lane';
$billing->City = 'Bucharest';
$billing->Zip = '010101';
$billing->CountryCode = 'RO';

$payment = new stdClass();
$payment->Type = 'TEST';
$payment->Currency = 'USD';
$payment->PaymentMethod = new stdClass();
$payment->PaymentMethod->CardNumber = '4111111111111111';
$payment->PaymentMethod->ExpirationMonth = '12';
$payment->PaymentMethod->ExpirationYear = '2030';
$payment->PaymentMethod->HolderName = 'Array Reader';
$payment->PaymentMethod->RecurringEnabled = true;

function item($code) {
    $item = new stdClass();
    $item->Code = $code;
    $item->Quantity = 1;
    return $item;
}

foreach (array(array('wsdl', SOAP_1_1, '1.1'), array('wsdl12', SOAP_1_2, '1.2')) as list($query, $version, $label)) {
    $client = new SoapClient("$host/soap/6.0/?$query", array('cache_wsdl' => WSDL_CACHE_NONE, 'soap_version' => $version));
    $now = gmdate('Y-m-d H:i:s');
    $string = strlen($merchantCode) . $merchantCode . strlen($now) . $now;
    $sessionID = $client->login($merchantCode, $now, hash_hmac('md5', $string, $key));

    // A product group and a plan, sent with PHP arrays.
    $group = new stdClass();
    $group->Name = "Arrays $label";
    $client->addProductGroup($sessionID, $group);
    $groups = $client->getProductGroups($sessionID);
    $expectedGroups = $label === '1.1' ? 1 : 2;
    check(is_list_of($groups, $expectedGroups) && $groups[0]->Name === 'Arrays 1.1', "SOAP $label: getProductGroups is a PHP array");

    $code = 'ARRAYS' . str_replace('.', '', $label);
    $plan = new stdClass();
    $plan->ProductCode = $code;
    $plan->ProductName = "Array plan $label";
    $plan->Enabled = true;
    $plan->SubscriptionInformation = new stdClass();
    $plan->SubscriptionInformation->BillingCycle = 1;
    $plan->SubscriptionInformation->BillingCycleUnits = 'M';
    $price = new stdClass();
    $price->Amount = 10;
    $price->Currency = 'USD';
    $configuration = new stdClass();
    $configuration->DefaultCurrency = 'USD';
    $configuration->Prices = new stdClass();
    $configuration->Prices->Regular = array($price);
    $plan->PricingConfigurations = array($configuration);
    check($client->addProduct($sessionID, $plan) === true, "SOAP $label: addProduct with arrays of one");

    $currencies = $client->getAvailableCurrencies($sessionID, 'US', 'CC');
    check(is_list_of($currencies, count($currencies)) && count($currencies) >= 1 && $currencies[0]->Code === 'USD',
        "SOAP $label: getAvailableCurrencies is a PHP array");

    // One item, then two: Items is a PHP array either way; foreach walks items, not fields.
    $order = new stdClass();
    $order->Currency = 'USD';
    $order->Items = array(item($code));
    $order->BillingDetails = $billing;
    $order->PaymentDetails = $payment;
    $one = $client->placeOrder($sessionID, $order);
    check(is_list_of($one->Items, 1) && $one->Items[0]->Code === $code, "SOAP $label: a one-item order's Items is a PHP array");
    $walked = array();
    foreach ($one->Items as $line) {
        $walked[] = $line->Code;
    }
    check($walked === array($code), "SOAP $label: foreach walks the one item");
    $read = $client->getOrder($sessionID, $one->RefNo);
    check(is_list_of($read->Items, 1) && is_list_of($read->Items[0]->ProductDetails->Subscriptions, 1),
        "SOAP $label: getOrder's Items and Subscriptions are PHP arrays");
    check(is_list_of($read->Promotions, 0), "SOAP $label: an empty list is an empty PHP array");

    $order->Items = array(item($code), item($code));
    $two = $client->placeOrder($sessionID, $order);
    check(is_list_of($two->Items, 2), "SOAP $label: a two-item order's Items is a PHP array of two");

    // getSubscriptions with one reference, then two.
    $first = $one->Items[0]->ProductDetails->Subscriptions[0]->SubscriptionReference;
    $subscriptions = $client->getSubscriptions($sessionID, array($first));
    check(is_list_of($subscriptions, 1) && $subscriptions[0]->SubscriptionReference === $first,
        "SOAP $label: getSubscriptions with one reference is a PHP array");
    $second = $two->Items[1]->ProductDetails->Subscriptions[0]->SubscriptionReference;
    $subscriptions = $client->getSubscriptions($sessionID, array($first, $second));
    check(is_list_of($subscriptions, 2) && $subscriptions[1]->SubscriptionReference === $second,
        "SOAP $label: getSubscriptions with two references");
    check(is_list_of($subscriptions[0]->Product->PriceOptionCodes, 0), "SOAP $label: nested lists are PHP arrays");
}
echo "PHP SOAP arrays passed\n";

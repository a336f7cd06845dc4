<?php
// The seed's 1-click purchase flow ("Validate previous order reference", then "Place an order
// using previous order reference") ported to SOAP as the vendor's SOAP samples write calls:
// a SoapClient on the WSDL, login, then each method with the session id first. The Order is
// built field for field as the JSON-RPC sample builds it.
$host = getenv('TCO_URL') . '/soap/6.0/';
$merchantCode = getenv('TCO_MERCHANT_CODE');
$key = getenv('TCO_MERCHANT_SECRET');
$client = new SoapClient($host . '?wsdl', array('location' => $host, 'cache_wsdl' => WSDL_CACHE_NONE));
$now = gmdate('Y-m-d H:i:s');
$string = strlen($merchantCode) . $merchantCode . strlen($now) . $now;
$sessionID = $client->login($merchantCode, $now, hash_hmac('md5', $string, $key));

$orderReference = '670174996';
var_dump($client->isValidOrderReference($sessionID, $orderReference));
$oldOrderExistent = $client->getOrder($sessionID, $orderReference);

$Order = new stdClass();
$Order->RefNo = NULL;
$Order->Currency = 'usd';
$Order->Country = 'US';
$Order->Language = 'en';
$Order->CustomerIP = '91.220.121.21';
$Order->ExternalReference = NULL;
$Order->Source = NULL;
$Order->Affiliate = new stdClass();
$Order->Affiliate->AffiliateCode = 'Partner123';
$Order->Affiliate->AffiliateSource = 'MobilePlatform';
$Order->CustomerReference = NULL;
$Order->Items = array();
$Order->Items[0] = new stdClass();
$Order->Items[0]->Code = 'my_subscription_1';
$Order->Items[0]->Quantity = 1;
$Order->Items[0]->PriceOptions = NULL;
$Order->Items[0]->SKU = NULL;
$Order->Items[0]->Price = NULL;
$Order->Items[0]->CrossSell = NULL;
$Order->Items[0]->Trial = false;
$Order->BillingDetails = new stdClass();
$Order->BillingDetails->Email = $oldOrderExistent->BillingDetails->Email;
$Order->DeliveryDetails = NULL;
$Order->PaymentDetails = new stdClass ();
$Order->PaymentDetails->Type = 'PREVIOUS_ORDER';
$Order->PaymentDetails->Currency = 'usd';
$Order->PaymentDetails->PaymentMethod = new stdClass ();
$Order->PaymentDetails->CustomerIP = '10.10.10.10';
$Order->PaymentDetails->PaymentMethod->RecurringEnabled = true;
$Order->PaymentDetails->PaymentMethod->RefNo = $orderReference;
$Order->Promotions = NULL;
$Order->AdditionalFields = NULL;
$Order->LocalTime = NULL;
$Order->GiftDetails = NULL;
$newOrder = $client->placeOrder($sessionID, $Order);
var_dump($newOrder);
echo "placeOrder: {$newOrder->RefNo} {$newOrder->Status} {$newOrder->BillingDetails->City}\n";

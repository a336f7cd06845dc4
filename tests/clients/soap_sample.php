<?php
// The vendor's SOAP sample flow, unchanged but for $host: login, createCustomer,
// getCustomerInformation, then get -> modify -> updateCustomerInformation. The customer comes
// from journal_customer.json so an equivalent REST flow can send the very same data.
$host = getenv('TCO_URL');
$merchantCode = getenv('TCO_MERCHANT_CODE');
$key = getenv('TCO_MERCHANT_SECRET');
$client = new SoapClient($host . "/soap/6.0/?wsdl", array('location' => $host . "/soap/6.0/", 'cache_wsdl' => WSDL_CACHE_NONE));

$now = gmdate('Y-m-d H:i:s');
$string = strlen($merchantCode) . $merchantCode . strlen($now) . $now;
$sessionID = $client->login($merchantCode, $now, hash_hmac('md5', $string, $key));

$newCustomer = json_decode(file_get_contents(__DIR__ . '/journal_customer.json'));
$customerReference = $client->createCustomer($sessionID, $newCustomer);
$existingCustomer = $client->getCustomerInformation($sessionID, $customerReference);
$existingCustomer->Email = 'newemailaddress@email.com';
$client->updateCustomerInformation($sessionID, $existingCustomer, false);
echo "SOAP sample flow done: customer $customerReference\n";

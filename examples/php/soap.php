<?php
// Log in over SOAP, then create, read, update and search a customer with PHP's SoapClient — the vendor's sample
// code, with only $host changed. Run: php examples/php/soap.php (needs php-soap).
$host = getenv('TCO_URL') ?: "http://127.0.0.1:8080";
$client = new SoapClient($host . "/soap/6.0/?wsdl", array('location' => $host . "/soap/6.0/"));

$merchantCode = "TCODEMO";
$key = "tco-demo-secret";
$now = gmdate('Y-m-d H:i:s');
$string = strlen($merchantCode) . $merchantCode . strlen($now) . $now;
$hash = hash_hmac('md5', $string, $key);
$sessionID = $client->login($merchantCode, $now, $hash);

$customer = new stdClass();
$customer->FirstName = 'John';
$customer->LastName = 'Doe';
$customer->Address1 = '1 Main St';
$customer->City = 'Austin';
$customer->Zip = '73301';
$customer->CountryCode = 'US';
$customer->Email = 'john.doe@example.com';
$reference = $client->createCustomer($sessionID, $customer);
echo "created customer $reference\n";
var_dump($client->getCustomerInformation($sessionID, $reference));

$existing = $client->getCustomerInformation($sessionID, $reference);
$existing->City = 'Dallas';
var_dump($client->updateCustomerInformation($sessionID, $existing, false));

$options = new stdClass();
$options->Email = 'john.doe@example.com';
$found = $client->searchCustomers($sessionID, $options);
echo "found {$found->Pagination->Count} customer(s)\n";

<?php
// What the vendor's SOAP samples `require ('PATH_TO_AUTH')` for: the SOAP authentication
// example — a SoapClient on the WSDL, then login — with the host and the merchant's credentials
// from the environment (the demo merchant).
$host = getenv('TCO_URL') . '/soap/6.0/';
$merchantCode = getenv('TCO_MERCHANT_CODE');
$key = getenv('TCO_MERCHANT_SECRET');
$client = new SoapClient($host . '?wsdl', array('location' => $host, 'cache_wsdl' => WSDL_CACHE_NONE));
$now = gmdate('Y-m-d H:i:s');
$string = strlen($merchantCode) . $merchantCode . strlen($now) . $now;
$sessionID = $client->login($merchantCode, $now, hash_hmac('md5', $string, $key));

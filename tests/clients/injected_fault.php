<?php
// A fault injected through the admin API, as a merchant's PHP SoapClient meets it: the test
// injects INVALID_SESSION into the next two searchCustomers calls over SOAP; both throw a
// SoapFault with that faultcode, the third call answers normally.

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

$client = new SoapClient($host . '/soap/6.0/?wsdl', array('location' => $host . '/soap/6.0/', 'cache_wsdl' => WSDL_CACHE_NONE));
$now = gmdate('Y-m-d H:i:s');
$string = strlen($merchantCode) . $merchantCode . strlen($now) . $now;
$sessionID = $client->login($merchantCode, $now, hash_hmac('md5', $string, $key));
check(strlen($sessionID) == 40, 'login');

$search = new stdClass();
$search->Pagination = new stdClass();
$search->Pagination->Page = 1;
$search->Pagination->Limit = 10;
for ($attempt = 1; $attempt <= 2; $attempt++) {
    try {
        $client->searchCustomers($sessionID, $search);
        check(false, "call $attempt throws the injected fault");
    } catch (SoapFault $fault) {
        check($fault->faultcode === 'INVALID_SESSION', "call $attempt: SoapFault " . $fault->faultcode);
    }
}
$result = $client->searchCustomers($sessionID, $search);
echo json_encode($result), "\n";
check(is_object($result) && isset($result->Pagination), 'the third call answers: the fault is gone');

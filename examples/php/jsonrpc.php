<?php
// JSON-RPC from PHP with curl and the vendor's callRPC helper pattern: log in, then create,
// read, update and search a customer. Run: php examples/php/jsonrpc.php (needs php-curl).
$host = (getenv('TCO_URL') ?: "http://127.0.0.1:8080") . "/rpc/6.0/";
$merchantCode = "TCODEMO";
$key = "tco-demo-secret";

function callRPC($Request, $host) {
    $curl = curl_init($host);
    curl_setopt($curl, CURLOPT_POST, 1);
    curl_setopt($curl, CURLOPT_RETURNTRANSFER, 1);
    curl_setopt($curl, CURLOPT_HTTPHEADER, array('Content-Type: application/json', 'Accept: application/json'));
    curl_setopt($curl, CURLOPT_POSTFIELDS, json_encode($Request));
    $Response = json_decode(curl_exec($curl));
    if (isset($Response->result)) {
        return $Response->result;
    }
    fwrite(STDERR, "{$Request['method']} failed: " . json_encode($Response->error) . "\n");
    exit(1);
}

$i = 1;
$now = gmdate('Y-m-d H:i:s');
$string = strlen($merchantCode) . $merchantCode . strlen($now) . $now;
$hash = hash_hmac('md5', $string, $key);
$sessionID = callRPC(array('jsonrpc' => '2.0', 'id' => $i++, 'method' => 'login',
    'params' => array($merchantCode, $now, $hash)), $host);

$customer = new stdClass();
$customer->FirstName = 'Ada';
$customer->LastName = 'Lovelace';
$customer->Address1 = '12 St James\'s Square';
$customer->City = 'London';
$customer->Zip = 'SW1Y 4JH';
$customer->CountryCode = 'GB';
$customer->Email = 'ada@example.com';
$reference = callRPC(array('jsonrpc' => '2.0', 'id' => $i++, 'method' => 'createCustomer',
    'params' => array($sessionID, $customer)), $host);
echo "created customer $reference\n";

$existing = callRPC(array('jsonrpc' => '2.0', 'id' => $i++, 'method' => 'getCustomerInformation',
    'params' => array($sessionID, $reference)), $host);
$existing->City = 'Cambridge';
callRPC(array('jsonrpc' => '2.0', 'id' => $i++, 'method' => 'updateCustomerInformation',
    'params' => array($sessionID, $existing, false)), $host);

$found = callRPC(array('jsonrpc' => '2.0', 'id' => $i++, 'method' => 'searchCustomers',
    'params' => array($sessionID, array('Email' => 'ada@example.com'))), $host);
echo "found {$found->Pagination->Count} customer(s), city {$found->Items[0]->City}\n";

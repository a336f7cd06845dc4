<?php
// The vendor's JSON-RPC sample flow as a merchant's integration runs it: a callRPC helper that
// posts json_encode()d requests with curl (Content-Type and Accept application/json), then
// login -> createCustomer -> getCustomerInformation -> updateCustomerInformation.
// Only $host differs from the vendor's samples. Exits non-zero on the first surprise.

$host = getenv('TCO_RPC_URL');            // e.g. http://127.0.0.1:8080/rpc/6.0/
$merchantCode = getenv('TCO_MERCHANT_CODE');
$key = getenv('TCO_MERCHANT_SECRET');

function callRPC($Request, $host, $Debug = true) {
    $curl = curl_init($host);
    curl_setopt($curl, CURLOPT_POST, 1);
    curl_setopt($curl, CURLOPT_HEADER, 0);
    curl_setopt($curl, CURLOPT_RETURNTRANSFER, 1);
    curl_setopt($curl, CURLOPT_SSL_VERIFYPEER, 0);
    curl_setopt($curl, CURLOPT_HTTPHEADER, array('Content-Type: application/json', 'Accept: application/json'));
    curl_setopt($curl, CURLOPT_POSTFIELDS, json_encode($Request));
    $ResponseString = curl_exec($curl);
    if (!empty($ResponseString)) {
        $Response = json_decode($ResponseString);
        if (isset($Response->result)) {
            return $Response->result;
        }
        if (!is_null($Response->error)) {
            if ($Debug) {
                var_dump($Request->method, $Response->error);
            }
            return $Response;
        }
    }
    return null;
}

function check($condition, $what) {
    if (!$condition) {
        fwrite(STDERR, "FAILED: $what\n");
        exit(1);
    }
    echo "ok: $what\n";
}

$i = 1;
$now = gmdate('Y-m-d H:i:s');
$string = strlen($merchantCode) . $merchantCode . strlen($now) . $now;
$hash = hash_hmac('md5', $string, $key);

$jsonRpcRequest = new stdClass();
$jsonRpcRequest->jsonrpc = '2.0';
$jsonRpcRequest->method = 'login';
$jsonRpcRequest->params = array($merchantCode, $now, $hash);
$jsonRpcRequest->id = $i++;
$sessionID = callRPC($jsonRpcRequest, $host);
check(is_string($sessionID) && strlen($sessionID) >= 32, "login returns a session id");

// The sample's customer object, nulls included.
$newCustomerObject = new stdClass();
$newCustomerObject->AvangateCustomerReference = null;
$newCustomerObject->ExternalCustomerReference = 'PHPRPC' . rand(100000, 999999);
$newCustomerObject->FirstName = 'NewCustomerFirstName';
$newCustomerObject->LastName = 'NewCustomerLastName';
$newCustomerObject->Company = null;
$newCustomerObject->FiscalCode = null;
$newCustomerObject->Address1 = 'Address';
$newCustomerObject->Address2 = null;
$newCustomerObject->City = 'LA';
$newCustomerObject->State = 'California';
$newCustomerObject->Zip = '90210';
$newCustomerObject->CountryCode = 'US';
$newCustomerObject->Phone = null;
$newCustomerObject->Fax = null;
$newCustomerObject->Email = 'newcustomer@email.com';
$newCustomerObject->ExistingCards = null;
$newCustomerObject->Enabled = null;
$newCustomerObject->Trial = null;
$newCustomerObject->Language = 'en';

$jsonRpcRequest = array(
    'jsonrpc' => '2.0',
    'method' => 'createCustomer',
    'params' => array($sessionID, $newCustomerObject),
    'id' => $i++
);
$customerReference = callRPC((object)$jsonRpcRequest, $host);
check(is_int($customerReference), "createCustomer returns an integer reference ($customerReference)");

$jsonRpcRequest = array(
    'method' => 'getCustomerInformation',
    'params' => array($sessionID, $customerReference, $newCustomerObject->ExternalCustomerReference),
    'id' => $i++,
    'jsonrpc' => '2.0'
);
$existingCustomer = callRPC((object)$jsonRpcRequest, $host, true);
check(is_object($existingCustomer) && $existingCustomer->AvangateCustomerReference == $customerReference,
    "getCustomerInformation finds the customer by both references");
check($existingCustomer->CountryCode === 'us', "CountryCode comes back lowercase");
check($existingCustomer->Enabled === false && $existingCustomer->Trial === false, "a new customer is inactive");
check($existingCustomer->ExistingCards === array(), "ExistingCards is an empty array");

$existingCustomer->Email = 'newemailaddress@email.com';
$existingCustomer->Credit = new stdClass();
$existingCustomer->Credit->Limit = 51.0;
$existingCustomer->Credit->Remaining = 21.0;
$existingCustomer->Credit->Currency = 'EUR';
$UpdateEndUserSubscriptions = false;
$jsonRpcRequest = array(
    'method' => 'updateCustomerInformation',
    'params' => array($sessionID, $existingCustomer, $UpdateEndUserSubscriptions),
    'id' => $i++,
    'jsonrpc' => '2.0'
);
check(callRPC((object)$jsonRpcRequest, $host, true) === true, "updateCustomerInformation returns true");

$jsonRpcRequest = array(
    'method' => 'getCustomerInformation',
    'params' => array($sessionID, $customerReference),
    'id' => $i++,
    'jsonrpc' => '2.0'
);
$updated = callRPC((object)$jsonRpcRequest, $host, true);
check($updated->Email === 'newemailaddress@email.com', "the update is visible");
check($updated->Credit->Currency === 'EUR' && $updated->Credit->Limit == 51.0, "the credit is stored");

$jsonRpcRequest = array(
    'method' => 'getCustomerInformation',
    'params' => array('not-a-session', $customerReference),
    'id' => $i++,
    'jsonrpc' => '2.0'
);
$failure = callRPC((object)$jsonRpcRequest, $host, false);
check(isset($failure->error) && $failure->error->code === 10001 && $failure->error->data->error_code === 'INVALID_SESSION',
    "an invalid session is error 10001 INVALID_SESSION");
echo "PHP JSON-RPC flow passed\n";

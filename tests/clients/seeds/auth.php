<?php
// What the vendor's samples `require ('PATH_TO_AUTH')` for: the JSON-RPC authentication
// example — the callRPC helper, then login — with the host and the merchant's credentials
// from the environment (the demo merchant).
$host = getenv('TCO_URL') . '/rpc/6.0/';
$merchantCode = getenv('TCO_MERCHANT_CODE');
$key = getenv('TCO_MERCHANT_SECRET');

function callRPC($Request, $hostUrl, $Debug = false) {
    $curl = curl_init($hostUrl);
    $RequestString = json_encode($Request);
    curl_setopt($curl, CURLOPT_POST, 1);
    curl_setopt($curl, CURLOPT_HEADER, 0);
    curl_setopt($curl, CURLOPT_RETURNTRANSFER, 1);
    curl_setopt($curl, CURLOPT_SSL_VERIFYPEER, 0);
    curl_setopt($curl, CURLOPT_HTTPHEADER, array('Content-Type: application/json', 'Accept: application/json'));
    curl_setopt($curl, CURLOPT_POSTFIELDS, $RequestString);
    $ResponseString = curl_exec($curl);
    if ($Debug) {
        var_dump($ResponseString);
    }
    if (!empty($ResponseString)) {
        $Response = json_decode($ResponseString);
        if (isset($Response->result)) {
            return $Response->result;
        }
        if (!is_null($Response->error)) {
            var_dump(is_array($Request) ? $Request['method'] : $Request->method, $Response->error);
            exit(1);
        }
    }
    return null;
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

<?php
include('Config.php');
// Grab Config Values
$config = new ConfigScripts();
$apiVersion = '6.0';
$i = 1;
$host = 'http://api.avangate.local:8081/rpc/' . $apiVersion . "/";
// Login to get the session id;
$sessionID = $config->rpcLogin($host);
$countryCode = 'ro';
$paymentMethod = 'CC';
$jsonRpcRequest = array (
'jsonrpc' => '2.0',
'id' => $i++,
'method' => 'getAvailableCurrencies',
// 'params' => [$sessionID]
'params' => [$sessionID, $countryCode, $paymentMethod]
);
$response = $config->callRPC($jsonRpcRequest, $host, true);
print_r(json_encode($response));
?>

<?php
// The vendor's internal `Config.php` that its getAvailableCurrencies sample includes: a login
// and the callRPC helper, as methods, with the demo merchant's credentials from the environment.
class ConfigScripts
{
    public function rpcLogin($host)
    {
        $merchantCode = getenv('TCO_MERCHANT_CODE');
        $key = getenv('TCO_MERCHANT_SECRET');
        $now = gmdate('Y-m-d H:i:s');
        $hash = hash_hmac('md5', strlen($merchantCode) . $merchantCode . strlen($now) . $now, $key);
        return $this->callRPC(array('jsonrpc' => '2.0', 'id' => 0, 'method' => 'login', 'params' => array($merchantCode, $now, $hash)), $host);
    }

    public function callRPC($Request, $host, $Debug = false)
    {
        $curl = curl_init($host);
        curl_setopt($curl, CURLOPT_POST, 1);
        curl_setopt($curl, CURLOPT_RETURNTRANSFER, 1);
        curl_setopt($curl, CURLOPT_HTTPHEADER, array('Content-Type: application/json', 'Accept: application/json'));
        curl_setopt($curl, CURLOPT_POSTFIELDS, json_encode($Request));
        $Response = json_decode(curl_exec($curl));
        if (isset($Response->error)) {
            var_dump($Response->error);
            exit(1);
        }
        return $Response->result;
    }
}

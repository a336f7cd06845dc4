<?php
// One call of the legacy 2Checkout API, sent the way the vendor's legacy `2checkout-php` library
// sends every call: cURL with HTTP Basic auth (CURLOPT_USERPWD), `Accept: application/json`, and
// the parameters as an array in CURLOPT_POSTFIELDS (so a multipart/form-data POST, even for
// reads). Usage: php legacy_call.php URL USER PASSWORD 'JSON object of parameters'.
// Prints the HTTP status on the first line, then the body.
[$script, $url, $user, $password, $json] = $argv;
$data = json_decode($json, true);
$ch = curl_init($url);
curl_setopt($ch, CURLOPT_HEADER, 0);
curl_setopt($ch, CURLOPT_POST, 0);
curl_setopt($ch, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
curl_setopt($ch, CURLOPT_USERPWD, "{$user}:{$password}");
curl_setopt($ch, CURLOPT_RETURNTRANSFER, true);
curl_setopt($ch, CURLOPT_HTTPHEADER, array("Accept: application/json"));
curl_setopt($ch, CURLOPT_USERAGENT, "2Checkout PHP/0.1.0%s");
curl_setopt($ch, CURLOPT_POSTFIELDS, $data);
$body = curl_exec($ch);
if ($body === false) {
    fwrite(STDERR, "cURL call failed: " . curl_error($ch) . "\n");
    exit(1);
}
echo curl_getinfo($ch, CURLINFO_HTTP_CODE), "\n", $body;

<?php
// The vendor's SOAP sample flow with PHP's SoapClient, as a merchant's integration runs it.
// Only $host differs from the vendor's samples. Runs once with the 'location' option and once
// without (the WSDL's own address). Exits non-zero on the first surprise.

$host = getenv('TCO_URL');                 // e.g. http://127.0.0.1:8080
$merchantCode = getenv('TCO_MERCHANT_CODE');
$key = getenv('TCO_MERCHANT_SECRET');

function check($condition, $what) {
    if (!$condition) {
        fwrite(STDERR, "FAILED: $what\n");
        exit(1);
    }
    echo "ok: $what\n";
}

function hmac($key, $data) {
    $b = 64; // byte length for md5
    if (strlen($key) > $b) {
        $key = pack("H*", md5($key));
    }
    $key = str_pad($key, $b, chr(0x00));
    $ipad = str_pad('', $b, chr(0x36));
    $opad = str_pad('', $b, chr(0x5c));
    $k_ipad = $key ^ $ipad;
    $k_opad = $key ^ $opad;
    return md5($k_opad . pack("H*", md5($k_ipad . $data)));
}

foreach (array(true, false) as $withLocation) {
    $options = array('cache_wsdl' => WSDL_CACHE_NONE);
    if ($withLocation) {
        $options['location'] = $host . "/soap/6.0/";
    }
    $client = new SoapClient($host . "/soap/6.0/?wsdl", $options);
    $label = $withLocation ? "with location" : "without location";

    // login with three arguments: HMAC-MD5, the vendor's hand-rolled hmac() helper.
    $now = gmdate('Y-m-d H:i:s');
    $string = strlen($merchantCode) . $merchantCode . strlen($now) . $now;
    $hash = hmac($key, $string);
    try {
        $sessionID = $client->login($merchantCode, $now, $hash);
    } catch (SoapFault $e) {
        echo "Authentication: " . $e->getMessage();
        exit(1);
    }
    check(is_string($sessionID) && strlen($sessionID) == 40, "$label: login with 3 arguments (md5)");

    // login with four arguments: sha256.
    $algo = "sha256";
    $hash = hash_hmac($algo, $string, $key);
    $sessionID = $client->login($merchantCode, $now, $hash, $algo);
    check(is_string($sessionID) && strlen($sessionID) == 40, "$label: login with 4 arguments (sha256)");

    // createCustomer with a stdClass built like the vendor's sample, nulls included.
    $external = 'PHPSOAP' . ($withLocation ? 'A' : 'B') . getmypid();
    $newCustomerObject = new stdClass();
    $newCustomerObject->AvangateCustomerReference = null;
    $newCustomerObject->ExternalCustomerReference = $external;
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
    $customerReference = $client->createCustomer($sessionID, $newCustomerObject);
    check(is_int($customerReference) && $customerReference > 0, "$label: createCustomer returns $customerReference");

    $byInternal = $client->getCustomerInformation($sessionID, $customerReference);
    check($byInternal->ExternalCustomerReference === $external, "$label: getCustomerInformation by internal reference");
    check($byInternal->CountryCode === 'us' && $byInternal->Company === null, "$label: lowercase country, null company");
    $byExternal = $client->getCustomerInformation($sessionID, 0, $external);
    check($byExternal->AvangateCustomerReference == $customerReference, "$label: getCustomerInformation by external reference");

    $byExternal->Email = 'newemailaddress@email.com';
    $UpdateEndUserSubscriptions = false;
    $updated = $client->updateCustomerInformation($sessionID, $byExternal, $UpdateEndUserSubscriptions);
    check($updated === true, "$label: updateCustomerInformation returns true");
    $reread = $client->getCustomerInformation($sessionID, $customerReference, $external);
    check($reread->Email === 'newemailaddress@email.com', "$label: the update is visible");

    $SearchOptions = new stdClass();
    $SearchOptions->Email = 'NewEmailAddress@email.com';
    $SearchOptions->Pagination = new stdClass();
    $SearchOptions->Pagination->Page = 1;
    $SearchOptions->Pagination->Limit = 10;
    $found = $client->searchCustomers($sessionID, $SearchOptions);
    check($found->Pagination->Count >= 1 && isset($found->Items), "$label: searchCustomers finds the customer");

    try {
        $client->getCustomerInformation('not-a-session', $customerReference);
        check(false, "$label: an invalid session raises a SoapFault");
    } catch (SoapFault $e) {
        check($e->faultcode === 'INVALID_SESSION', "$label: SoapFault faultcode INVALID_SESSION ({$e->getMessage()})");
    }
}
echo "PHP SOAP flow passed\n";

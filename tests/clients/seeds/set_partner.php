<?php
// What the vendor's Channel Manager samples `require('PATH_TO_setPartner')` for: the setPartner
// example (KC Channel Manager SOAP "Set partner") on the session soap_auth.php opened, with the
// demo merchant's partner.
$partnerCode = 'Partner123';
try {
    $partnerSet = $client->setPartner($sessionID, $partnerCode);
} catch (SoapFault $e) {
    echo "setPartner: " . $e->getMessage();
    exit;
}

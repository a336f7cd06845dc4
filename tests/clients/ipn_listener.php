<?php
// An IPN and LCN listener written from the vendor's documentation (the IPN PHP sample's
// style): every value in the order received, each prefixed with its length in bytes (strlen),
// HMAC'd with the secret key, checked against HASH, SIGNATURE_SHA2_256 and SIGNATURE_SHA3_256;
// then the read receipt. Run as `php -S 127.0.0.1:PORT ipn_listener.php` with TCO_SECRET and
// TCO_LISTENER_LOG (a JSON line per message is appended there).

$secret = getenv('TCO_SECRET');

function expand($values) {
    $result = '';
    foreach ($values as $value) {
        $result .= is_array($value) ? expand($value) : strlen($value) . $value;
    }
    return $result;
}

$source = '';
foreach ($_POST as $key => $value) {
    if (in_array($key, ['HASH', 'SIGNATURE_SHA2_256', 'SIGNATURE_SHA3_256'], true)) {
        continue;
    }
    $source .= is_array($value) ? expand($value) : strlen($value) . $value;
}
$verified = [
    'md5' => hash_equals(hash_hmac('md5', $source, $secret), $_POST['HASH'] ?? ''),
    'sha256' => hash_equals(hash_hmac('sha256', $source, $secret), $_POST['SIGNATURE_SHA2_256'] ?? ''),
    'sha3-256' => hash_equals(hash_hmac('sha3-256', $source, $secret), $_POST['SIGNATURE_SHA3_256'] ?? ''),
];

$lcn = isset($_POST['LICENSE_CODE']);
$date = gmdate('YmdHis');
if ($lcn) {
    $return = strlen($_POST['LICENSE_CODE']) . $_POST['LICENSE_CODE']
        . strlen($_POST['EXPIRATION_DATE']) . $_POST['EXPIRATION_DATE'] . strlen($date) . $date;
} else {
    $return = strlen($_POST['IPN_PID'][0]) . $_POST['IPN_PID'][0] . strlen($_POST['IPN_PNAME'][0]) . $_POST['IPN_PNAME'][0]
        . strlen($_POST['IPN_DATE']) . $_POST['IPN_DATE'] . strlen($date) . $date;
}

file_put_contents(getenv('TCO_LISTENER_LOG'), json_encode([
    'listener' => 'php',
    'kind' => $lcn ? 'lcn' : 'ipn',
    'event' => $lcn ? $_POST['DISPATCH_REASON'] : $_POST['ORDERSTATUS'],
    'subject' => $lcn ? $_POST['LICENSE_CODE'] : $_POST['REFNO'],
    'lines' => $lcn ? 0 : count($_POST['IPN_PID']),
    'verified' => $verified,
]) . "\n", FILE_APPEND | LOCK_EX);

// Only a message whose signatures all hold gets a receipt; the gateway retries the others.
if (in_array(false, $verified, true)) {
    http_response_code(400);
    echo 'signature mismatch';
} elseif ($lcn) {
    echo '<EPAYMENT>' . $date . '|' . hash_hmac('md5', $return, $secret) . '</EPAYMENT>';
} else {
    echo '<sig algo="sha3-256" date="' . $date . '">' . hash_hmac('sha3-256', $return, $secret) . '</sig>';
}

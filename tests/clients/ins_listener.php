<?php
// An INS listener written from the legacy 2Checkout documentation: the message's md5_hash is
// UPPER(MD5(sale_id . vendor_id . invoice_id . secret word)), as the legacy PHP library's
// Twocheckout_Notification::check computes it. Run as `php -S 127.0.0.1:PORT ins_listener.php`
// with TCO_SECRET_WORD and TCO_LISTENER_LOG (a JSON line per message is appended there).

$word = getenv('TCO_SECRET_WORD');
$expected = strtoupper(md5(($_POST['sale_id'] ?? '') . ($_POST['vendor_id'] ?? '') . ($_POST['invoice_id'] ?? '') . $word));
$entry = [
    'kind' => 'ins',
    'event' => $_POST['message_type'] ?? '',
    'sale_id' => $_POST['sale_id'] ?? '',
    'invoice_id' => $_POST['invoice_id'] ?? '',
    'key_count_matches' => (int) ($_POST['key_count'] ?? -1) === count($_POST),
    'verified' => hash_equals($expected, $_POST['md5_hash'] ?? ''),
    'fields' => $_POST,
];
file_put_contents(getenv('TCO_LISTENER_LOG'), json_encode($entry) . "\n", FILE_APPEND | LOCK_EX);
echo 'OK';

<?php
require ('PATH_TO_AUTH');
$csCampaignText = [];
$textObj = new stdClass();
$textObj->Language = "ro";
$textObj->Title = "Numele campaniei mele";
$textObj->Description = "Descrierea campaniei mele";
$csCampaignText[] = $textObj;
$textObj = new stdClass();
$textObj->Language = "en";
$textObj->Title = "My campaign name";
$textObj->Description = "My campaign description";
$csCampaignText[] = $textObj;
try {
$csCampaignTextResponse = $client->addCrossSellCampaignText($sessionID, $csCampaignText);
} catch (SoapFault $e) {
echo $e->getMessage();
}

-- A household invitation no longer puts the invitee on the contract when it is sent: the contract
-- party is created when the code registers a login (server/services/household.ts). Until then the
-- invitation itself has to remember the right the main tenant chose. Invitations sent before this
-- already have their party row; they take the right from it.
ALTER TABLE `registration_codes` ADD `access` text;--> statement-breakpoint
UPDATE `registration_codes` SET `access` = (
  SELECT `access` FROM `contract_parties`
  WHERE `contract_parties`.`contract_id` = `registration_codes`.`contract_id`
    AND `contract_parties`.`person_id` = `registration_codes`.`person_id`
) WHERE `purpose` = 'household_invitation';

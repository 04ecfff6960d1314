import type { Migration } from 'kysely';
import * as plan from './2026_11_29_000000_plan';
import * as accounts from './2026_11_29_010000_accounts';
import * as commission from './2026_11_29_020000_commission';
import * as editions from './2026_11_29_030000_editions';
import * as editionOpenData from './2026_11_30_040000_edition_open_data';
import * as editionResources from './2026_11_30_050000_edition_resources';
import * as oneOpenUpdate from './2026_11_30_050000_one_open_update';
import * as publishedRevision from './2026_11_30_060000_published_revision';
import * as security from './2026_11_30_070000_security';
import * as planAuthoring from './2026_12_01_100000_plan_authoring';
import * as mail from './2026_12_01_130000_mail';
import * as editionFrozenPlan from './2026_12_02_100000_edition_frozen_plan';
import * as structureVersions from './2026_12_02_110000_structure_versions';
import * as mailOneTimeLink from './2026_12_03_100000_mail_one_time_link';
import * as campaignClosing from './2026_12_04_100000_campaign_closing';
import * as sittingTombstone from './2026_12_04_110000_sitting_tombstone';
import * as sittingTime from './2026_12_05_100000_sitting_time';
import * as sittingConvened from './2026_12_05_110000_sitting_convened';
import * as campaignOutcome from './2026_12_06_100000_campaign_outcome';
import * as mailLinkExpiry from './2026_12_07_100000_mail_link_expiry';
import * as mailCancelled from './2026_12_07_110000_mail_cancelled';
import * as mailRelay from './2026_12_08_100000_mail_relay';
import * as mailSenderLease from './2026_12_09_100000_mail_sender_lease';
import * as auditSearchText from './2026_12_09_110000_audit_search_text';
import * as structureRetired from './2026_12_10_100000_structure_retired';
import * as sittingConvenedAs from './2026_12_10_110000_sitting_convened_as';
import * as mailCampaign from './2026_12_11_100000_mail_campaign';
import * as repairEdited from './2026_12_11_110000_repair_edited';
import * as mailSitting from './2026_12_12_100000_mail_sitting';
import * as mailSittingEarlier from './2026_12_13_100000_mail_sitting_earlier';
import * as mailCampaignFiches from './2026_12_14_100000_mail_campaign_fiches';
import * as campaignDatesChange from './2026_12_15_100000_campaign_dates_change';
import * as discardedUpdate from './2026_12_15_100000_discarded_update';
import * as mailStoppedAt from './2026_12_15_120000_mail_stopped_at';
import * as campaignDatesNotified from './2026_12_16_090000_campaign_dates_notified';
import * as campaignDatesNotifiedUnknown from './2026_12_17_093000_campaign_dates_notified_unknown';
import * as replacedMeasurement from './2026_12_18_100000_replaced_measurement';
import * as commissionRowIds from './2026_12_19_100000_commission_row_ids';
import * as sittingClosingWritten from './2026_12_20_100000_sitting_closing_written';
import * as convenedNotReachedIds from './2026_12_20_110000_convened_not_reached_ids';

/**
 * Every migration, by name. A static list rather than a glob so that the same module serves the
 * server bundle (Vite) and the command-line scripts (tsx); `migrations.spec.ts` fails when a file
 * of this folder is missing here.
 */
export const MIGRATIONS: Record<string, Migration> = {
	'2026_11_29_000000_plan': plan,
	'2026_11_29_010000_accounts': accounts,
	'2026_11_29_020000_commission': commission,
	'2026_11_29_030000_editions': editions,
	'2026_11_30_040000_edition_open_data': editionOpenData,
	'2026_11_30_050000_edition_resources': editionResources,
	'2026_11_30_050000_one_open_update': oneOpenUpdate,
	'2026_11_30_060000_published_revision': publishedRevision,
	'2026_11_30_070000_security': security,
	'2026_12_01_100000_plan_authoring': planAuthoring,
	'2026_12_01_130000_mail': mail,
	'2026_12_02_100000_edition_frozen_plan': editionFrozenPlan,
	'2026_12_02_110000_structure_versions': structureVersions,
	'2026_12_03_100000_mail_one_time_link': mailOneTimeLink,
	'2026_12_04_100000_campaign_closing': campaignClosing,
	'2026_12_04_110000_sitting_tombstone': sittingTombstone,
	'2026_12_05_100000_sitting_time': sittingTime,
	'2026_12_05_110000_sitting_convened': sittingConvened,
	'2026_12_06_100000_campaign_outcome': campaignOutcome,
	'2026_12_07_100000_mail_link_expiry': mailLinkExpiry,
	'2026_12_07_110000_mail_cancelled': mailCancelled,
	'2026_12_08_100000_mail_relay': mailRelay,
	'2026_12_09_100000_mail_sender_lease': mailSenderLease,
	'2026_12_09_110000_audit_search_text': auditSearchText,
	'2026_12_10_100000_structure_retired': structureRetired,
	'2026_12_10_110000_sitting_convened_as': sittingConvenedAs,
	'2026_12_11_100000_mail_campaign': mailCampaign,
	'2026_12_11_110000_repair_edited': repairEdited,
	'2026_12_12_100000_mail_sitting': mailSitting,
	'2026_12_13_100000_mail_sitting_earlier': mailSittingEarlier,
	'2026_12_14_100000_mail_campaign_fiches': mailCampaignFiches,
	'2026_12_15_100000_campaign_dates_change': campaignDatesChange,
	'2026_12_15_100000_discarded_update': discardedUpdate,
	'2026_12_15_120000_mail_stopped_at': mailStoppedAt,
	'2026_12_16_090000_campaign_dates_notified': campaignDatesNotified,
	'2026_12_17_093000_campaign_dates_notified_unknown': campaignDatesNotifiedUnknown,
	'2026_12_18_100000_replaced_measurement': replacedMeasurement,
	'2026_12_19_100000_commission_row_ids': commissionRowIds,
	'2026_12_20_100000_sitting_closing_written': sittingClosingWritten,
	'2026_12_20_110000_convened_not_reached_ids': convenedNotReachedIds
};

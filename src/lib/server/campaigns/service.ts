// The campaigns' services: what the routes and the other services import. Each job in its own
// module of this folder (SQL in repository.ts):
// - pair-states.ts: each pair's state (a fiche and an organisation asked), the one rule;
// - date-checks.ts: the deadline, the reminders and a campaign opened twice, checked;
// - messages.ts: the opening and the reminders written, one judged before it leaves;
// - opening.ts, closing.ts: a campaign opened, closed;
// - dates-change.ts: an open campaign's deadline and reminder days changed;
// - reminders.ts: the scheduled reminders;
// - completion.ts: a campaign's follow-up, its page and its files;
// - running.ts: the campaigns still running that ask an organisation for fiches;
// - pages.ts: /admin/campagnes's list and the commission's review file.
export { campaignDateProblems } from './date-checks';
export { outdatedCampaignMail } from './messages';
export { CAMPAIGNS_OPENED_PER_ACCOUNT_PER_DAY, openCampaign, type CampaignInput } from './opening';
export { closeCampaign, closingCancelledMail } from './closing';
export {
	changeCampaignDates,
	rebaseCampaignDatesTyping,
	type DatesChangeInput
} from './dates-change';
export { sendCampaignReminders } from './reminders';
export { campaignCompletion, completionRows, completionSheet } from './completion';
export { announceRunningCampaigns, campaignsForOrganisation } from './running';
export { campaignsPage, ficheCampaignStatus } from './pages';

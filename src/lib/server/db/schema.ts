import type { Generated } from 'kysely';
import type { OrganisationKind } from '../../utils/vocabulary';
import type { FicheStatus } from '../../utils/vocabulary';

export type { FicheStatus, OrganisationKind };
export type UpdateState = 'draft' | 'submitted' | 'returned' | 'validated';

export interface PlanTable {
	id: number;
	title: string;
	territory: string;
	period_start: number;
	period_end: number;
	adopted_on: string;
	finalised_on: string;
	source: string;
}

/**
 * One row, kept by triggers (migration 060000): `revision` and `changed_at` change with every
 * change a public page shows, `work_revision` also with what a partner's workspace shows.
 */
export interface DataRevisionTable {
	id: number;
	revision: number;
	changed_at: string;
	work_revision: Generated<number>;
}

export interface PlanEventTable {
	id: Generated<number>;
	occurred_on: string;
	title: string;
	body: string;
	source: string;
}

export interface AxisTable {
	id: Generated<number>;
	code: string;
	short_name: string;
	label: string;
	position: number;
	version: Generated<number>;
	/** When it was withdrawn from the plan (UTC); null while it is in the plan. */
	retired_at: string | null;
}

export interface OrientationTable {
	id: Generated<number>;
	code: string;
	axis_id: number;
	label: string;
	position: number;
	version: Generated<number>;
	/** When it was withdrawn from the plan (UTC); null while it is in the plan. */
	retired_at: string | null;
}

export interface ObjectiveTable {
	id: Generated<number>;
	number: number;
	orientation_id: number;
	label: string;
	synthesis_label: string | null;
	version: Generated<number>;
	/** When it was withdrawn from the plan (UTC); null while it is in the plan. */
	retired_at: string | null;
}

export interface OrganisationTable {
	id: Generated<number>;
	slug: string;
	name: string;
	full_name: string | null;
	kind: OrganisationKind;
	version: Generated<number>;
	retired_at: string | null;
}

export interface FicheTable {
	id: Generated<number>;
	code: string;
	objective_id: number;
	number: number;
	title: string;
	short_title: string | null;
	/** JSON text of RichText blocks */
	context: string;
	existing: string;
	description: string;
	success_factors: string;
	owners_note: string | null;
	priority: number;
	adopted_priority: number;
	status: Generated<FicheStatus>;
	progress: number | null;
	last_update: string | null;
	search_text: string;
	/** Optimistic concurrency: bumped by every edit of the fiche's own fields. */
	version: Generated<number>;
	/** Why a fiche was retired (status `abandonnee` by an edit of the plan), and when. */
	retired_reason: string | null;
	retired_on: string | null;
}

export interface FicheOwnerTable {
	id: Generated<number>;
	fiche_id: number;
	organisation_id: number;
	scope: string | null;
	note: string | null;
	position: number;
}

export interface FichePartnerTable {
	id: Generated<number>;
	fiche_id: number;
	organisation_id: number;
	detail: string | null;
	position: number;
}

export interface FicheLinkTable {
	fiche_id: number;
	linked_fiche_id: number;
	position: number;
}

export interface IndicatorTable {
	id: Generated<number>;
	fiche_id: number;
	label: string;
	unit: string | null;
	target: number | null;
	position: number;
	kind: Generated<IndicatorKind>;
	target_date: string | null;
	baseline: number | null;
	baseline_date: string | null;
	/** A retired indicator keeps its measurements and takes no new ones. */
	retired_at: string | null;
}

export interface ProgressUpdateTable {
	id: Generated<number>;
	fiche_id: number;
	organisation_id: number | null;
	reported_on: string;
	status: FicheStatus | null;
	progress: number | null;
	done: Generated<string>;
	next_steps: Generated<string>;
	difficulties: Generated<string>;
	source: string | null;
	state: UpdateState;
	validated_at: string | null;
	author_id: number | null;
	submission_key: string | null;
	last_post_key: string | null;
	version: Generated<number>;
	review_comment: string | null;
	reviewed_by: number | null;
	updated_by: number | null;
	updated_at: string | null;
	submitted_at: string | null;
}

/**
 * A draft its organisation discarded: its row and measurements are gone, its number stays here,
 * never given to another update (migration 2026_12_15_100000_discarded_update).
 */
export interface DiscardedUpdateTable {
	id: number;
	fiche_id: number;
	organisation_id: number;
	discarded_by: number | null;
	discarded_at: string;
}

export interface MeasurementTable {
	id: Generated<number>;
	indicator_id: number;
	progress_update_id: number;
	measured_on: string;
	value: number;
	comment: string | null;
}

/**
 * A published value another validated update replaced (one published value per indicator and
 * day), set aside for the older update's page: what the public pages read is `measurement`
 * (migration 2026_12_18_100000_replaced_measurement).
 */
export interface ReplacedMeasurementTable {
	id: Generated<number>;
	/** The update that published it. */
	progress_update_id: number;
	indicator_id: number;
	measured_on: string;
	value: number;
	comment: string | null;
	/** The update whose validation replaced it (its validated_at: when). */
	replaced_by: number;
}

export type Role = 'admin' | 'commission' | 'partenaire';

export interface UserAccountTable {
	id: Generated<number>;
	email: string;
	name: string;
	role: Role;
	organisation_id: number | null;
	password_hash: string | null;
	disabled_at: string | null;
	created_at: string;
	updated_at: string;
}

export interface UserSessionTable {
	id: string;
	secret_hash: Uint8Array;
	user_id: number;
	created_at: number;
	expires_at: number;
}

export interface InvitationTable {
	id: string;
	secret_hash: Uint8Array;
	user_id: number;
	created_by: number | null;
	created_at: number;
	expires_at: number;
	used_at: number | null;
}

export interface LoginThrottleTable {
	key: string;
	failures: number;
	last_failure_at: number;
	blocked_until: number;
}

export interface AppSecretTable {
	name: string;
	value: Uint8Array;
}

/** Anonymous refusals, counted per kind, day and subject rather than journaled one by one. */
export interface AuditTallyTable {
	action: string;
	day: string;
	subject: string;
	count: number;
	first_at: string;
	last_at: string;
}

/** One row per run of the retention purge: the only way journal rows leave. */
export interface AuditPurgeTable {
	id: Generated<number>;
	started_at: string;
	cutoff: string;
	finished_at: string | null;
}

export interface AuditEventTable {
	id: Generated<number>;
	occurred_at: string;
	actor_id: number | null;
	actor_label: string;
	action: string;
	target_type: string | null;
	target_id: string | null;
	summary: string;
	before_state: string | null;
	after_state: string | null;
	client_address: string | null;
	/** Summary and author, folded for the search (foldForSearch), one line each. */
	search_text: string | null;
}

export type SittingState = 'preparation' | 'held' | 'closed';
export type DecisionKind = 'priority' | 'opinion' | 'free';
export type Opinion = 'favorable' | 'reserve' | 'defavorable' | 'prise_acte';

/**
 * A séance's facts as the portal reads and writes them (camelCase): its day, time of day ("HH:MM",
 * Paris; null: not given), place and title; what a convocation announces. The one type of them:
 * a part is a `Pick` of it.
 */
export interface SittingFacts {
	heldOn: string;
	startsAt: string | null;
	place: string;
	title: string;
}

export interface CommissionSessionTable {
	id: Generated<number>;
	held_on: string;
	place: string;
	title: string;
	state: SittingState;
	source: string | null;
	created_by: number | null;
	created_at: string;
	closed_by: number | null;
	closed_at: string | null;
	/** Deleted (created by mistake): the row stays so that its number is never given again. */
	deleted_at: string | null;
	/** Its time of day, "HH:MM" (Paris); null when not given (the register's séances). */
	starts_at: string | null;
	/** When its convocation was last sent (milliseconds); null: never convened. */
	convened_at: number | null;
	/** What the last convocation announced (JSON: title, heldOn, startsAt, place); null: none. */
	convened_as: string | null;
	/** What its closing wrote (JSON: `ClosingWritten`); null: not closed, or closed before it was kept. */
	closing_written: string | null;
}

export interface SessionAttendeeTable {
	id: Generated<number>;
	session_id: number;
	user_id: number | null;
	guest_name: string | null;
}

export interface AgendaItemTable {
	id: Generated<number>;
	session_id: number;
	fiche_id: number | null;
	title: string | null;
	position: number;
}

export interface DecisionTable {
	id: Generated<number>;
	session_id: number;
	agenda_item_id: number;
	kind: DecisionKind;
	previous_priority: number | null;
	new_priority: number | null;
	opinion: Opinion | null;
	text: string;
	recorded_by: number | null;
	recorded_at: string;
}

export interface EditionTable {
	id: Generated<number>;
	year: number;
	version: number;
	as_of: string;
	intro: string;
	axis_texts: string;
	change_note: string | null;
	state: 'draft' | 'published';
	snapshot: string | null;
	/** Published: each fiche's texts as they stood at publication (JSON, `FrozenTexts`). */
	frozen_texts: string | null;
	/** Its `sdusn/plan@1` document, for editions published before plan@2; no longer served (see edition_resource). */
	open_data: string | null;
	created_by: number | null;
	created_at: string;
	published_by: number | null;
	published_at: string | null;
}

/** One open-data file of a published edition, as served under `/bilans/[year]/`: frozen. */
export interface EditionResourceTable {
	edition_id: number;
	name: string;
	body: Uint8Array;
	row_count: number | null;
	last_change: string;
}

export type IndicatorKind = 'count' | 'percentage' | 'amount' | 'boolean';

/** Append-only (triggers): one saved change to the plan. `changes` is a JSON array of
 * { field, label, before, after }. */
export interface PlanRevisionTable {
	id: Generated<number>;
	entity: 'plan' | 'axis' | 'orientation' | 'objective' | 'fiche' | 'indicator' | 'organisation';
	entity_id: number;
	fiche_id: number | null;
	action: 'created' | 'updated' | 'moved' | 'retired' | 'merged';
	changes: string;
	reason: string;
	decision_id: number | null;
	origin: 'portal' | 'import';
	user_id: number | null;
	created_at: string;
}

/** A name an organisation had before (renamed, or merged into it): still findable. */
export interface OrganisationAliasTable {
	id: Generated<number>;
	organisation_id: number;
	name: string;
	created_at: string;
}

// Mail, preferences, password reset, campaigns (migration 2026_12_01_130000_mail).
export type MailStatus =
	| 'pending'
	| 'sending'
	| 'sent'
	| 'failed'
	| 'interrupted'
	| 'kept'
	/** Not sent: its one-time link had stopped working (migration 2026_12_07_110000). */
	| 'cancelled';

export interface MailOutboxTable {
	id: Generated<number>;
	message_id: string;
	kind: string;
	recipient: string;
	user_id: number | null;
	subject: string;
	text_body: string;
	html_body: string;
	unsubscribe_url: string | null;
	/** An invitation's or reset's link, kept only until the message is sent or given up. */
	one_time_link: string | null;
	/** When that link stops working (ms): the message is not sent after it (migration 2026_12_07). */
	link_expires_at: number | null;
	/** The campaign it opens or reminds of (migration 2026_12_11): cancelled when it closes first. */
	campaign_id: number | null;
	/** The séance it convenes, cancels or reports (migration 2026_12_12): cancelled if it is deleted first. */
	sitting_id: number | null;
	/**
	 * The fiches a campaign's message asks for, a JSON array of fiche ids (migration 2026_12_14):
	 * what it is judged on before it leaves. Null: no campaign's, or written before that.
	 */
	campaign_fiche_ids: string | null;
	status: MailStatus;
	attempts: Generated<number>;
	next_attempt_at: number;
	last_error: string | null;
	created_at: number;
	sent_at: number | null;
	/**
	 * When it stopped for good (failed, cancelled, interrupted), in milliseconds (migration
	 * 2026_12_15): what a restore reads as a write. Null: waiting, or sent.
	 */
	stopped_at: number | null;
}

/** The relay's own state, one row (id 1; migration 2026_12_08): see sender.ts. */
export interface MailRelayTable {
	id: number;
	failing_since: number | null;
	failures: Generated<number>;
	paused_until: number | null;
	last_error: string | null;
}

/** Which process sends the mail (at most one row; see migration 2026_12_09_100000). */
export interface MailSenderTable {
	id: number;
	holder: string;
	process: string;
	host: string;
	pid: number;
	database: string;
	lease_until: number;
}

export interface MailPreferenceTable {
	user_id: number;
	reminders: number;
	validations: number;
	commission: number;
	updated_at: number;
}

export interface PasswordResetTable {
	id: string;
	secret_hash: Uint8Array;
	user_id: number;
	created_at: number;
	expires_at: number;
	used_at: number | null;
}

export interface NotificationEventTable {
	id: Generated<number>;
	kind: string;
	update_id: number;
	created_at: number;
	digested_at: number | null;
}

export interface CampaignTable {
	id: Generated<number>;
	title: string;
	deadline: string;
	session_id: number | null;
	reminder_days: string;
	created_by: number | null;
	opened_at: number;
	/** Closed before its last reminder day (migration 2026_12_04_100000_campaign_closing). */
	closed_at: number | null;
	closed_by: number | null;
}

export interface CampaignFicheTable {
	campaign_id: number;
	fiche_id: number;
}

export interface CampaignReminderTable {
	campaign_id: number;
	organisation_id: number;
	offset_days: number;
	/** The deadline the reminder announced (migration 2026_12_15_100000_campaign_dates_change). */
	deadline: string;
	sent_at: number;
}

/** A change of an open campaign's deadline or reminder days (migration 2026_12_15). */
export interface CampaignDatesChangeTable {
	id: Generated<number>;
	campaign_id: number;
	deadline_before: string;
	deadline_after: string;
	reminder_days_before: string;
	reminder_days_after: string;
	changed_by: number | null;
	changed_at: number;
	/**
	 * Organisations told of the new deadline (migration 2026_12_16); null: recorded before it was
	 * counted, not known (migration 2026_12_17_093000).
	 */
	notified: Generated<number | null>;
}

/** A closed campaign's pairs as they were when it was closed (migration 2026_12_06). */
export interface CampaignOutcomeTable {
	campaign_id: number;
	fiche_id: number;
	organisation_id: number;
	state: 'submitted' | 'validated' | 'returned' | null;
	has_account: number;
}

export interface Database {
	plan_revision: PlanRevisionTable;
	organisation_alias: OrganisationAliasTable;
	plan: PlanTable;
	data_revision: DataRevisionTable;
	plan_event: PlanEventTable;
	axis: AxisTable;
	orientation: OrientationTable;
	objective: ObjectiveTable;
	organisation: OrganisationTable;
	fiche: FicheTable;
	fiche_owner: FicheOwnerTable;
	fiche_partner: FichePartnerTable;
	fiche_link: FicheLinkTable;
	indicator: IndicatorTable;
	progress_update: ProgressUpdateTable;
	measurement: MeasurementTable;
	replaced_measurement: ReplacedMeasurementTable;
	user_account: UserAccountTable;
	user_session: UserSessionTable;
	invitation: InvitationTable;
	login_throttle: LoginThrottleTable;
	audit_event: AuditEventTable;
	audit_tally: AuditTallyTable;
	audit_purge: AuditPurgeTable;
	app_secret: AppSecretTable;
	commission_session: CommissionSessionTable;
	session_attendee: SessionAttendeeTable;
	agenda_item: AgendaItemTable;
	decision: DecisionTable;
	edition: EditionTable;
	edition_resource: EditionResourceTable;
	mail_outbox: MailOutboxTable;
	mail_relay: MailRelayTable;
	mail_sender: MailSenderTable;
	mail_preference: MailPreferenceTable;
	password_reset: PasswordResetTable;
	notification_event: NotificationEventTable;
	discarded_update: DiscardedUpdateTable;
	campaign: CampaignTable;
	campaign_fiche: CampaignFicheTable;
	campaign_reminder: CampaignReminderTable;
	campaign_dates_change: CampaignDatesChangeTable;
	campaign_outcome: CampaignOutcomeTable;
}

import { z } from 'zod';
import { versionField } from './form';
import { REVISION_FIELDS, revisionShape } from './plan-edit';

/**
 * « Abandonner » a fiche, « Retirer » an axis, orientation or objective, or an organisation: the
 * version read and the revision's reason and decision, the one form of every retirement.
 */
export const RETIRE_FIELDS = ['version', ...REVISION_FIELDS] as const;
export const RetireSchema = z.object({ version: versionField, ...revisionShape });

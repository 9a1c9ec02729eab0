// port: where invitations live. Adapter: dynamo-invitation-store.
import type { Invitation, ProvisionalAnswer } from './invitation.js';

export interface InvitationPage {
  items: Invitation[];
  cursor: string | null;
}

export interface InvitationStore {
  /** stores the invitation unless one with its id exists; answers the stored one (an existing one keeps its state) */
  create(invitation: Invitation): Promise<{ invitation: Invitation; created: boolean }>;
  /**
   * `create` for many (ids unique): reads which exist, writes the others in batches. Answers each as stored. Two
   * mints of the same new recipient racing within milliseconds may both write it: the same invitation, either
   * minting's expiry; nobody can have answered a link that is still being minted.
   */
  createMany(invitations: readonly Invitation[]): Promise<{ invitation: Invitation; created: boolean }[]>;
  get(invitationId: string): Promise<Invitation | undefined>;
  /** counts a page GET (and a click when it carried a score); undefined when the invitation does not exist */
  recordOpen(invitationId: string, at: Date, withScore: boolean): Promise<Invitation | undefined>;
  /** counts a honeypot hit and marks the invitation scanned; false when it does not exist */
  recordScannerHit(invitationId: string, at: Date): Promise<boolean>;
  /**
   * sets `answeredAt` and `answeredRetentionDays` (the survey's retention now) unless already set, and answers the
   * invitation as it now is; undefined when it does not exist
   */
  startAnswer(invitationId: string, at: Date, retentionDays: number): Promise<Invitation | undefined>;
  /** stores (or replaces) the provisional answer, unless the invitation is already final: answers whether it did */
  recordProvisional(invitationId: string, provisional: ProvisionalAnswer): Promise<boolean>;
  /**
   * marks the invitation final and drops its provisional answer, unless it is final with a newer revision already.
   * With `ifProvisionalAt`, only if the provisional answer is still the one given at that instant (the finaliser must
   * not finalise an answer changed meanwhile). Answers whether it did.
   */
  markFinal(invitationId: string, final: NonNullable<Invitation['final']>, ifProvisionalAt?: string): Promise<boolean>;
  /**
   * removes the provisional answer without making the invitation final, only if it is still the one given at
   * `ifProvisionalAt`: answers whether it did (the finaliser drops an answer it can no longer store)
   */
  dropProvisional(invitationId: string, ifProvisionalAt: string): Promise<boolean>;
  /** provisional answers given at or before `before` (ISO), oldest first */
  listDueProvisional(before: string, limit: number): Promise<Invitation[]>;
  /** a page of a campaign's invitations, in minting order */
  listCampaign(surveyId: string, campaign: string, limit: number, cursor?: string): Promise<InvitationPage>;
}

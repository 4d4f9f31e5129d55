using Handoff.DeliveryValidation.Repository;

namespace Handoff.DeliveryValidation.Checks;

/// <summary>
/// A change under review as the checks judge it: what it changes, the base branch's tip (current
/// freezes, keys and what each environment runs), the merge base (what the change started from) and
/// the history. Null when auditing without a base.
/// </summary>
internal sealed record ChangeContext(ChangeSet Changes, RevisionFiles BaseTip, RevisionFiles MergeBase, DeliveryHistory History);

// The Python of the partial-label loss that the python export appends to its module: static code,
// no data of the bundle (it reads NUM_CLASSES, IGNORE, ID2LABEL and LABEL_SETS from the module).
//
// A LUT maps a native class to a label, a label set or IGNORE. For a pixel whose target t is a
// set S (Cityscapes road -> {road, lane_marking, crosswalk, bike_lane}) the loss is
// -log sum_{u in S} p(u) (Bevandic et al., "Multi-domain semantic segmentation with overlapping
// labels", WACV 2022); for a label it is the cross-entropy -log p(t). numpy and torch are imported
// inside the functions, so the module itself stays standard-library only.
export const PARTIAL_LABEL_LOSS_PY = String.raw`
_TARGET_ROWS = []


def _target_rows():
    """Row t: which train ids a target value t allows (t itself for a label, the members for a set)."""
    if not _TARGET_ROWS:
        size = max([NUM_CLASSES, *(s + 1 for s in LABEL_SETS)])
        rows = [[False] * NUM_CLASSES for _ in range(size)]
        for label in ID2LABEL:
            rows[label][label] = True
        for set_id, (_name, _kind, members) in LABEL_SETS.items():
            for member in members:
                rows[set_id][member] = True
        _TARGET_ROWS.extend(rows)
    return _TARGET_ROWS


def target_multi_hot():
    """The multi-hot table over the targets a LUT gives, as a numpy bool array (rows, NUM_CLASSES):
    row t is one-hot for a label t, the member mask for a set t, and all False for unused values."""
    import numpy as np

    return np.asarray(_target_rows(), dtype=bool).reshape(-1, NUM_CLASSES)


def _check_target(np, rows, target, keep):
    inside = (target >= 0) & (target < rows.shape[0])
    bad = keep & ~(inside & rows[np.where(keep & inside, target, 0)].any(-1))
    if bad.any():
        value = int(target[bad].flat[0])
        raise ValueError(f"target value {value} is neither a train id, a label set id nor IGNORE ({IGNORE})")


def partial_label_loss(logits, target, reduction="mean"):
    """The partial-label loss -log sum_{u in S(t)} p(u) (Bevandic et al., WACV 2022), with numpy.

    logits: floats of shape (N, NUM_CLASSES, ...), the model's scores before softmax.
    target: ints of shape (N, ...), what LUT gives: a train id (S = that label), a label set id
    (S = LABEL_SETS[id] members) or IGNORE (left out). For a target that is a label this is the
    cross-entropy. reduction: "mean" over the pixels not ignored (0.0 when there are none), "sum",
    or "none" (per pixel, 0.0 where ignored).
    """
    import numpy as np

    logits = np.asarray(logits, dtype=np.float64)
    target = np.asarray(target).astype(np.int64)
    if logits.ndim < 2 or logits.shape[1] != NUM_CLASSES:
        raise ValueError(f"logits must have shape (N, {NUM_CLASSES}, ...), not {logits.shape}")
    if target.shape != logits.shape[:1] + logits.shape[2:]:
        raise ValueError(f"target must have shape {logits.shape[:1] + logits.shape[2:]}, not {target.shape}")
    rows = target_multi_hot()
    keep = target != IGNORE
    _check_target(np, rows, target, keep)
    allowed = rows[np.where(keep, target, 0)] | ~keep[..., None]
    scores = np.moveaxis(logits, 1, -1)
    top = scores.max(-1, keepdims=True)
    log_all = np.log(np.exp(scores - top).sum(-1))
    in_set = np.where(allowed, scores, -np.inf)
    set_top = in_set.max(-1, keepdims=True)
    log_set = np.log(np.exp(in_set - set_top).sum(-1)) + (set_top - top)[..., 0]
    loss = np.where(keep, log_all - log_set, 0.0)
    if reduction == "none":
        return loss
    if reduction == "sum":
        return float(loss.sum())
    if reduction == "mean":
        count = int(keep.sum())
        return float(loss.sum() / count) if count else 0.0
    raise ValueError(f'reduction must be "mean", "sum" or "none", not {reduction!r}')


def partial_label_loss_torch(logits, target, reduction="mean"):
    """partial_label_loss for PyTorch tensors (differentiable); needs torch, imported here only.

    logits: (N, NUM_CLASSES, ...) float tensor; target: (N, ...) integer tensor from LUT.
    """
    import torch

    if logits.dim() < 2 or logits.shape[1] != NUM_CLASSES:
        raise ValueError(f"logits must have shape (N, {NUM_CLASSES}, ...), not {tuple(logits.shape)}")
    rows = torch.tensor(_target_rows(), dtype=torch.bool, device=logits.device).reshape(-1, NUM_CLASSES)
    target = target.long()
    keep = target != IGNORE
    inside = (target >= 0) & (target < rows.shape[0])
    index = torch.where(keep & inside, target, torch.zeros_like(target))
    valid = rows[index].any(-1) & inside
    if bool((keep & ~valid).any()):
        value = int(target[keep & ~valid].flatten()[0])
        raise ValueError(f"target value {value} is neither a train id, a label set id nor IGNORE ({IGNORE})")
    allowed = rows[index] | ~keep.unsqueeze(-1)
    scores = logits.movedim(1, -1)
    loss = torch.logsumexp(scores, -1) - torch.logsumexp(scores.masked_fill(~allowed, float("-inf")), -1)
    loss = torch.where(keep, loss, torch.zeros_like(loss))
    if reduction == "none":
        return loss
    if reduction == "sum":
        return loss.sum()
    if reduction == "mean":
        return loss.sum() / keep.sum().clamp(min=1)
    raise ValueError(f'reduction must be "mean", "sum" or "none", not {reduction!r}')
`;

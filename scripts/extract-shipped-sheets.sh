#!/usr/bin/env bash
# Produces the shipped dataset sheets (sheets/datasets/) with the extractors, from the datasets'
# published metadata. Re-running it is safe: an unchanged sheet is not written again, a changed
# one becomes a new version. REAL points at the folder of published files (../shared/real on the
# team's machines); Cityscapes and ApolloScape publish Python label files, transcribed into
# fixtures/ in their published layout.
set -euo pipefail
cd "$(dirname "$0")/.."
REAL=${REAL:-../shared/real}
labelmap() { node bin/labelmap --sheets sheets "$@"; }

labelmap extract coco "$REAL/coco/instances_val2017.excerpt.json" --name coco
labelmap extract coco "$REAL/coco/panoptic_coco_categories.json" --name coco-panoptic
labelmap extract coco "$REAL/coco/stuff_val2017.excerpt.json" --name coco-stuff
labelmap extract voc "$REAL/voc/VOC2007-sample" --name voc
labelmap extract cityscapes fixtures/cityscapes/labels.py --name cityscapes
labelmap extract mapillary "$REAL/mapillary/config_v1.1_public.json" --name mapillary-vistas-v1.2
labelmap extract mapillary "$REAL/mapillary/config_v2.0.json" --name mapillary-vistas-v2.0
labelmap extract apolloscape fixtures/apolloscape/labels_apollo.py --name apolloscape
labelmap extract apolloscape fixtures/apolloscape/laneMarkDetection.py --name apolloscape-lanemark
labelmap extract ade20k "$REAL/ade20k/objectInfo150.csv" --name ade20k

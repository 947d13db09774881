package main

// The watcher mode (--watcher): cli-utils' DefaultStatusWatcher, the informer-based status
// watcher Helm 4's --wait uses, instead of the polling engine. Same identifiers, same output
// lines; there are no poll cycles, so the counts line reports cycles 0.

import (
	"context"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/rest"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/event"
	"sigs.k8s.io/cli-utils/pkg/kstatus/watcher"
	"sigs.k8s.io/cli-utils/pkg/object"
)

// watchWithStatusWatcher starts the default status watcher over ids (its REST scope chosen as
// cli-utils chooses it: one namespace watches that namespace, several watch cluster-wide).
func watchWithStatusWatcher(
	ctx context.Context,
	cfg *rest.Config,
	mapper meta.RESTMapper,
	ids object.ObjMetadataSet,
) (<-chan event.Event, error) {
	dc, err := dynamic.NewForConfig(cfg)
	if err != nil {
		return nil, err
	}
	sw := watcher.NewDefaultStatusWatcher(dc, mapper)
	return sw.Watch(ctx, ids, watcher.Options{}), nil
}

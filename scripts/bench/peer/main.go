// Command kstatus-peer polls resources with the kstatus engine of sigs.k8s.io/cli-utils (the Go
// original this project re-implements), so benchmarks and end-to-end tests can compare our
// readers with it on the same cluster: time to all-Current, events seen, API requests per cycle.
//
// Usage:
//
//	kstatus-peer --kubeconfig FILE [--interval 2s] [--timeout 0] ID...
//	kstatus-peer --kubeconfig FILE --namespace NS --kind Deployment --count 100 --prefix web-
//	kstatus-peer --watcher ...               (cli-utils' DefaultStatusWatcher; see watcher.go)
//	echo 'Deployment.apps/default/web' | kstatus-peer --kubeconfig FILE
//	kstatus-peer compute < objects.ndjson    (status.Compute per object; see compute.go)
//	kstatus-peer augment < objects.ndjson    (status.Augment per object; see compute.go)
//	kstatus-peer compute-files FILE...       (as kstatus compute -f; see compute_files.go)
//
// An ID is KIND[.GROUP]/NAMESPACE/NAME, or KIND[.GROUP]/NAME for a cluster-scoped kind. Without a
// group the kind is looked up through discovery (Deployment -> apps). IDs come from the arguments,
// else from --count, else one per line on stdin ('#' starts a comment).
//
// Output, one JSON object per line on stdout:
//
//	{"t":1700000000000,"id":"Deployment.apps/default/web","status":"InProgress","message":"..."}
//	{"t":1700000001000,"allCurrent":true}
//	{"requests":12,"cycles":3,"setupRequests":0,"perCycle":[8,2,2]}
//
// The last line counts every HTTP request the rest client sent (rest.Config.WrapTransport) and the
// poll cycles (Sync calls of cli-utils' default caching cluster reader, wrapped to count them);
// perCycle[i] is the number of requests sent from the start of cycle i to the start of the next.
//
// Exit codes: 0 all Current; 1 the engine reported an error; 2 timed out; 3 bad arguments.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"k8s.io/apimachinery/pkg/api/meta"
	"k8s.io/apimachinery/pkg/runtime/schema"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/discovery/cached/memory"
	"k8s.io/client-go/rest"
	"k8s.io/client-go/restmapper"
	"k8s.io/client-go/tools/clientcmd"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/clusterreader"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/engine"
	"sigs.k8s.io/cli-utils/pkg/kstatus/polling/event"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
	"sigs.k8s.io/cli-utils/pkg/object"
	"sigs.k8s.io/controller-runtime/pkg/client"
)

const (
	exitCurrent = 0
	exitError   = 1
	exitTimeout = 2
	exitUsage   = 3
	// exitClosed is internal: the event channel closed before all were Current.
	exitClosed = -1
)

type options struct {
	kubeconfig string
	context    string
	namespace  string
	kind       string
	prefix     string
	count      int
	interval   time.Duration
	timeout    time.Duration
	qps        float64
	burst      int
	watcher    bool
	ids        []string
}

func main() {
	os.Exit(run())
}

func run() int {
	if len(os.Args) > 1 && (os.Args[1] == "compute" || os.Args[1] == "augment") {
		return runCompute(os.Args[1], os.Stdin, os.Stdout, os.Stderr)
	}
	if len(os.Args) > 1 && os.Args[1] == "compute-files" {
		return runComputeFiles(os.Args[2:], os.Stdout, os.Stderr)
	}
	opts, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "kstatus-peer:", err)
		return exitUsage
	}
	out := newEmitter(os.Stdout)

	counter := &requestCounter{}
	cfg, err := restConfig(opts)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kstatus-peer:", err)
		return exitUsage
	}
	cfg.WrapTransport = counter.wrap

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if opts.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.timeout)
		defer cancel()
	}

	disco, err := discovery.NewDiscoveryClientForConfig(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kstatus-peer: discovery client:", err)
		return exitError
	}
	mapper := restmapper.NewDeferredDiscoveryRESTMapper(memory.NewMemCacheClient(disco))
	httpClient, err := rest.HTTPClientFor(cfg)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kstatus-peer: http client:", err)
		return exitError
	}
	reader, err := client.New(cfg, client.Options{HTTPClient: httpClient, Mapper: mapper})
	if err != nil {
		fmt.Fprintln(os.Stderr, "kstatus-peer: client:", err)
		return exitError
	}

	idStrings, err := collectIDs(opts, os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kstatus-peer:", err)
		return exitUsage
	}
	ids, err := parseIDs(idStrings, mapper)
	if err != nil {
		fmt.Fprintln(os.Stderr, "kstatus-peer:", err)
		return exitUsage
	}
	// Requests made so far went to discovery, to resolve kinds without a group.
	setup := counter.total.Load()

	cycles := &cycleCounter{requests: counter}
	poller := polling.NewStatusPoller(reader, mapper, polling.Options{
		ClusterReaderFactory: engine.ClusterReaderFactoryFunc(
			func(r client.Reader, m meta.RESTMapper, set object.ObjMetadataSet) (engine.ClusterReader, error) {
				inner, err := clusterreader.NewCachingClusterReader(r, m, set)
				if err != nil {
					return nil, err
				}
				return &countingClusterReader{ClusterReader: inner, cycles: cycles}, nil
			}),
	})

	pollCtx, cancelPoll := context.WithCancel(ctx)
	defer cancelPoll()
	var events <-chan event.Event
	if opts.watcher {
		events, err = watchWithStatusWatcher(pollCtx, cfg, mapper, ids)
		if err != nil {
			fmt.Fprintln(os.Stderr, "kstatus-peer: status watcher:", err)
			return exitError
		}
	} else {
		events = poller.Poll(pollCtx, ids, polling.PollOptions{PollInterval: opts.interval})
	}

	code := watch(events, ids, out, cancelPoll)
	if code == exitClosed {
		// The channel closed without an answer: our deadline passed or a signal stopped us.
		code = exitError
		timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
		if timedOut {
			code = exitTimeout
		}
		out.line(timeoutLine{T: nowMillis(), Timeout: timedOut})
	}
	// Drain so the engine's goroutine has ended before the counters are read.
	cancelPoll()
	for range events {
	}
	out.line(countsLine{
		Requests:      counter.total.Load(),
		Cycles:        cycles.count(),
		SetupRequests: setup,
		PerCycle:      cycles.perCycle(),
	})
	return code
}

// watch prints the events until every resource is Current (then cancels the poll), the engine
// reports an error, or the channel closes (context done).
func watch(events <-chan event.Event, ids object.ObjMetadataSet, out *emitter, cancel func()) int {
	latest := make(map[object.ObjMetadata]status.Status, len(ids))
	for ev := range events {
		switch ev.Type {
		case event.ErrorEvent:
			out.line(errorLine{T: nowMillis(), Error: errString(ev.Error)})
			cancel()
			return exitError
		case event.SyncEvent:
			out.line(syncLine{T: nowMillis(), Sync: true})
		case event.ResourceUpdateEvent:
			rs := ev.Resource
			out.line(statusLine{
				T:       nowMillis(),
				ID:      idString(rs.Identifier),
				Status:  rs.Status.String(),
				Message: rs.Message,
				Error:   errString(rs.Error),
			})
			latest[rs.Identifier] = rs.Status
			if allCurrent(ids, latest) {
				out.line(allCurrentLine{T: nowMillis(), AllCurrent: true})
				cancel()
				return exitCurrent
			}
		}
	}
	return exitClosed
}

func allCurrent(ids object.ObjMetadataSet, latest map[object.ObjMetadata]status.Status) bool {
	for _, id := range ids {
		if latest[id] != status.CurrentStatus {
			return false
		}
	}
	return true
}

// idString renders an identifier in the input grammar with the group spelled out:
// KIND[.GROUP]/NAMESPACE/NAME, or KIND[.GROUP]/NAME when cluster-scoped.
func idString(id object.ObjMetadata) string {
	kind := id.GroupKind.Kind
	if id.GroupKind.Group != "" {
		kind += "." + id.GroupKind.Group
	}
	if id.Namespace == "" {
		return kind + "/" + id.Name
	}
	return kind + "/" + id.Namespace + "/" + id.Name
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func nowMillis() int64 { return time.Now().UnixMilli() }

// --- arguments ----------------------------------------------------------------------------------

func parseFlags(args []string) (options, error) {
	var o options
	fs := flag.NewFlagSet("kstatus-peer", flag.ContinueOnError)
	fs.StringVar(&o.kubeconfig, "kubeconfig", os.Getenv("KUBECONFIG"), "kubeconfig file")
	fs.StringVar(&o.context, "context", "", "kubeconfig context (default: the current one)")
	fs.StringVar(&o.namespace, "namespace", "default", "namespace for --count")
	fs.StringVar(&o.kind, "kind", "Deployment", "kind for --count (KIND[.GROUP])")
	fs.StringVar(&o.prefix, "prefix", "", "name prefix for --count: names are PREFIX0..PREFIX{N-1}")
	fs.IntVar(&o.count, "count", 0, "poll N generated identifiers instead of reading them")
	fs.DurationVar(&o.interval, "interval", 2*time.Second, "poll interval")
	fs.DurationVar(&o.timeout, "timeout", 0, "give up after this long (0: never)")
	fs.Float64Var(&o.qps, "qps", 50, "client-side rate limit, requests per second")
	fs.IntVar(&o.burst, "burst", 100, "client-side rate limit burst")
	fs.BoolVar(&o.watcher, "watcher", false, "use cli-utils' DefaultStatusWatcher (informers) instead of the poller")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	o.ids = fs.Args()
	if o.count < 0 {
		return o, fmt.Errorf("--count must not be negative")
	}
	if o.count > 0 && len(o.ids) > 0 {
		return o, fmt.Errorf("give identifiers either as arguments or with --count, not both")
	}
	if o.interval <= 0 {
		return o, fmt.Errorf("--interval must be positive")
	}
	return o, nil
}

func restConfig(o options) (*rest.Config, error) {
	rules := clientcmd.NewDefaultClientConfigLoadingRules()
	if o.kubeconfig != "" {
		rules.ExplicitPath = o.kubeconfig
	}
	overrides := &clientcmd.ConfigOverrides{CurrentContext: o.context}
	cfg, err := clientcmd.NewNonInteractiveDeferredLoadingClientConfig(rules, overrides).ClientConfig()
	if err != nil {
		return nil, fmt.Errorf("kubeconfig: %w", err)
	}
	cfg.QPS = float32(o.qps)
	cfg.Burst = o.burst
	cfg.UserAgent = "kstatus-peer (cli-utils)"
	return cfg, nil
}

func collectIDs(o options, stdin io.Reader) ([]string, error) {
	if len(o.ids) > 0 {
		return o.ids, nil
	}
	if o.count > 0 {
		ids := make([]string, 0, o.count)
		for i := 0; i < o.count; i++ {
			ids = append(ids, fmt.Sprintf("%s/%s/%s%d", o.kind, o.namespace, o.prefix, i))
		}
		return ids, nil
	}
	var ids []string
	sc := bufio.NewScanner(stdin)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line != "" {
			ids = append(ids, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading stdin: %w", err)
	}
	if len(ids) == 0 {
		return nil, fmt.Errorf("no identifiers given (arguments, --count, or lines on stdin)")
	}
	return ids, nil
}

// parseIDs turns KIND[.GROUP]/NAMESPACE/NAME (or KIND[.GROUP]/NAME) into identifiers; a kind
// without a group is resolved through discovery.
func parseIDs(raw []string, mapper meta.RESTMapper) (object.ObjMetadataSet, error) {
	resolved := map[string]schema.GroupKind{}
	set := make(object.ObjMetadataSet, 0, len(raw))
	for _, s := range raw {
		parts := strings.Split(s, "/")
		var kindPart, namespace, name string
		switch len(parts) {
		case 2:
			kindPart, name = parts[0], parts[1]
		case 3:
			kindPart, namespace, name = parts[0], parts[1], parts[2]
		default:
			return nil, fmt.Errorf("identifier %q: want KIND[.GROUP]/NAMESPACE/NAME or KIND[.GROUP]/NAME", s)
		}
		if kindPart == "" || name == "" {
			return nil, fmt.Errorf("identifier %q: kind and name must not be empty", s)
		}
		gk, ok := resolved[kindPart]
		if !ok {
			var err error
			gk, err = resolveKind(kindPart, mapper)
			if err != nil {
				return nil, fmt.Errorf("identifier %q: %w", s, err)
			}
			resolved[kindPart] = gk
		}
		set = append(set, object.ObjMetadata{GroupKind: gk, Namespace: namespace, Name: name})
	}
	return set, nil
}

func resolveKind(kindPart string, mapper meta.RESTMapper) (schema.GroupKind, error) {
	if kind, group, found := strings.Cut(kindPart, "."); found {
		return schema.GroupKind{Group: group, Kind: kind}, nil
	}
	// Discovery registers singular resource names too, so "deployment" finds apps/v1 Deployment.
	gvk, err := mapper.KindFor(schema.GroupVersionResource{Resource: strings.ToLower(kindPart)})
	if err != nil {
		return schema.GroupKind{}, fmt.Errorf("cannot resolve kind %q (write KIND.GROUP): %w", kindPart, err)
	}
	if gvk.Kind != kindPart {
		return schema.GroupKind{}, fmt.Errorf("kind %q resolved to %q: write KIND.GROUP", kindPart, gvk.Kind)
	}
	return gvk.GroupKind(), nil
}

// --- counting -----------------------------------------------------------------------------------

// requestCounter counts the HTTP requests a rest client sends, whatever their outcome.
type requestCounter struct {
	total atomic.Int64
}

func (c *requestCounter) wrap(rt http.RoundTripper) http.RoundTripper {
	return roundTripperFunc(func(req *http.Request) (*http.Response, error) {
		c.total.Add(1)
		return rt.RoundTrip(req)
	})
}

type roundTripperFunc func(*http.Request) (*http.Response, error)

func (f roundTripperFunc) RoundTrip(req *http.Request) (*http.Response, error) { return f(req) }

// cycleCounter records the request total at the start of each poll cycle.
type cycleCounter struct {
	requests *requestCounter
	mu       sync.Mutex
	starts   []int64
}

func (c *cycleCounter) begin() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.starts = append(c.starts, c.requests.total.Load())
}

func (c *cycleCounter) count() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.starts)
}

func (c *cycleCounter) perCycle() []int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]int64, len(c.starts))
	end := c.requests.total.Load()
	for i := len(c.starts) - 1; i >= 0; i-- {
		out[i] = end - c.starts[i]
		end = c.starts[i]
	}
	return out
}

// countingClusterReader marks a cycle each time the engine syncs the caching reader, which it
// does once at the start of every poll cycle.
type countingClusterReader struct {
	engine.ClusterReader
	cycles *cycleCounter
}

func (r *countingClusterReader) Sync(ctx context.Context) error {
	r.cycles.begin()
	return r.ClusterReader.Sync(ctx)
}

// --- output -------------------------------------------------------------------------------------

// Output lines, as structs so the keys come in a stable, readable order.
type statusLine struct {
	T       int64  `json:"t"`
	ID      string `json:"id"`
	Status  string `json:"status"`
	Message string `json:"message"`
	Error   string `json:"error,omitempty"`
}

type allCurrentLine struct {
	T          int64 `json:"t"`
	AllCurrent bool  `json:"allCurrent"`
}

type syncLine struct {
	T    int64 `json:"t"`
	Sync bool  `json:"sync"`
}

type errorLine struct {
	T     int64  `json:"t"`
	Error string `json:"error"`
}

type timeoutLine struct {
	T       int64 `json:"t"`
	Timeout bool  `json:"timeout"`
}

type countsLine struct {
	Requests      int64   `json:"requests"`
	Cycles        int     `json:"cycles"`
	SetupRequests int64   `json:"setupRequests"`
	PerCycle      []int64 `json:"perCycle"`
}

type emitter struct {
	mu  sync.Mutex
	enc *json.Encoder
}

func newEmitter(w io.Writer) *emitter { return &emitter{enc: json.NewEncoder(w)} }

func (e *emitter) line(v any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	_ = e.enc.Encode(v)
}

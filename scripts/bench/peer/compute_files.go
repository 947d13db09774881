package main

// The compute-files mode: what `kstatus compute -f` does, done the Go original's way, for
// `deno task bench:compute`. Each file is read through apimachinery's YAML-or-JSON decoder (YAML
// documents one by one, or JSON values), numbers decoded as the API machinery decodes them, List
// kinds expanded, status.Compute run per object, and one line printed per object:
//
//	kstatus-peer compute-files FILE...
//	Deployment/default/web  Current  Deployment is available. Replicas: 1
//
// Exit codes: 0 every object read, 3 a file could not be read or decoded.

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/runtime"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	utilyaml "k8s.io/apimachinery/pkg/util/yaml"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

func runComputeFiles(files []string, out, errOut io.Writer) int {
	w := bufio.NewWriterSize(out, 1<<16)
	defer w.Flush()
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(errOut, "kstatus-peer:", err)
			return exitUsage
		}
		err = computeStream(f, w)
		f.Close()
		if err != nil {
			fmt.Fprintf(errOut, "kstatus-peer: %s: %v\n", name, err)
			return exitUsage
		}
	}
	return 0
}

func computeStream(r io.Reader, w io.Writer) error {
	decoder := utilyaml.NewYAMLOrJSONDecoder(r, 4096)
	for {
		var raw json.RawMessage
		if err := decoder.Decode(&raw); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		if len(raw) == 0 || string(raw) == "null" {
			continue // an empty document
		}
		var obj map[string]interface{}
		if err := utiljson.Unmarshal(raw, &obj); err != nil {
			return err
		}
		u := &unstructured.Unstructured{Object: obj}
		if u.IsList() {
			if err := u.EachListItem(func(item runtime.Object) error {
				return printStatus(w, item.(*unstructured.Unstructured))
			}); err != nil {
				return err
			}
			continue
		}
		if err := printStatus(w, u); err != nil {
			return err
		}
	}
}

func printStatus(w io.Writer, u *unstructured.Unstructured) error {
	id := u.GetKind() + "/"
	if ns := u.GetNamespace(); ns != "" {
		id += ns + "/"
	}
	id += u.GetName()
	res, err := status.Compute(u)
	if err != nil {
		_, err = fmt.Fprintf(w, "%s  Unknown  %v\n", id, err)
		return err
	}
	_, err = fmt.Fprintf(w, "%s  %s  %s\n", id, res.Status, res.Message)
	return err
}

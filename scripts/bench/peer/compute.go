package main

// The compute and augment modes: cli-utils' status.Compute (or status.Augment) on objects read
// from stdin, so that the parity test can hold kstatus's computeStatus and augmentStatus against
// the Go original object by object.
//
//	kstatus-peer compute < objects.ndjson
//	kstatus-peer augment < objects.json
//
// Input: one JSON object per line (blank lines are skipped), or a single JSON array of objects.
// Output: one JSON line per input object, in input order:
//
//	compute: {"status":"InProgress","message":"...","conditions":[{"type":"Reconciling",...}]}
//	augment: {"object":{...}}   the object as Augment left it
//	either:  {"error":"..."}    when Compute/Augment returns an error (or panics, "panic: ...")
//
// An array element or a line that is valid JSON but not an object gets an error line too. Input
// that is not JSON at all ends the run with exit code 3 and a message on stderr.
//
// Numbers are decoded as the API machinery decodes a server's answer (a number written without
// fraction or exponent that fits int64 becomes int64, any other a float64), since the original's
// integer field reads depend on the Go type.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"
)

type computeCondition struct {
	Type    string `json:"type"`
	Status  string `json:"status"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

type computeLine struct {
	Status     string                 `json:"status,omitempty"`
	Message    *string                `json:"message,omitempty"`
	Conditions *[]computeCondition    `json:"conditions,omitempty"`
	Object     map[string]interface{} `json:"object,omitempty"`
	Error      string                 `json:"error,omitempty"`
}

// runCompute reads the objects from in and writes one answer line per object to out; mode is
// "compute" or "augment".
func runCompute(mode string, in io.Reader, out, errOut io.Writer) int {
	w := bufio.NewWriter(out)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	one := computeOne
	if mode == "augment" {
		one = augmentOne
	}
	answer := func(v interface{}) error {
		obj, ok := v.(map[string]interface{})
		if !ok {
			return enc.Encode(computeLine{Error: fmt.Sprintf("not a JSON object: %T", v)})
		}
		return enc.Encode(one(obj))
	}

	br := bufio.NewReaderSize(in, 1<<16)
	if first, err := firstNonSpace(br); err == io.EOF {
		return 0
	} else if err != nil {
		fmt.Fprintln(errOut, "kstatus-peer:", err)
		return exitUsage
	} else if first == '[' {
		data, err := io.ReadAll(br)
		if err != nil {
			fmt.Fprintln(errOut, "kstatus-peer:", err)
			return exitUsage
		}
		var objects []interface{}
		if err := utiljson.Unmarshal(data, &objects); err != nil {
			fmt.Fprintln(errOut, "kstatus-peer: input array:", err)
			return exitUsage
		}
		for _, v := range objects {
			if err := answer(v); err != nil {
				fmt.Fprintln(errOut, "kstatus-peer:", err)
				return exitError
			}
		}
		return 0
	}

	scanner := bufio.NewScanner(br)
	scanner.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; scanner.Scan(); line++ {
		text := bytes.TrimSpace(scanner.Bytes())
		if len(text) == 0 {
			continue
		}
		var v interface{}
		if err := utiljson.Unmarshal(text, &v); err != nil {
			fmt.Fprintf(errOut, "kstatus-peer: line %d: %v\n", line, err)
			return exitUsage
		}
		if err := answer(v); err != nil {
			fmt.Fprintln(errOut, "kstatus-peer:", err)
			return exitError
		}
	}
	if err := scanner.Err(); err != nil {
		fmt.Fprintln(errOut, "kstatus-peer:", err)
		return exitUsage
	}
	return 0
}

// firstNonSpace skips leading whitespace and returns (without consuming) the next byte.
func firstNonSpace(br *bufio.Reader) (byte, error) {
	for {
		b, err := br.ReadByte()
		if err != nil {
			return 0, err
		}
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return b, br.UnreadByte()
	}
}

// recovered turns a panic in the original into an error line, so one odd object does not end
// the run.
func recovered(result *computeLine) {
	if r := recover(); r != nil {
		*result = computeLine{Error: fmt.Sprintf("panic: %v", r)}
	}
}

func computeOne(obj map[string]interface{}) (result computeLine) {
	defer recovered(&result)
	res, err := status.Compute(&unstructured.Unstructured{Object: obj})
	if err != nil {
		return computeLine{Error: err.Error()}
	}
	conditions := []computeCondition{}
	for _, c := range res.Conditions {
		conditions = append(conditions, computeCondition{
			Type:    string(c.Type),
			Status:  string(c.Status),
			Reason:  c.Reason,
			Message: c.Message,
		})
	}
	message := res.Message
	return computeLine{
		Status:     res.Status.String(),
		Message:    &message,
		Conditions: &conditions,
	}
}

func augmentOne(obj map[string]interface{}) (result computeLine) {
	defer recovered(&result)
	u := &unstructured.Unstructured{Object: obj}
	if err := status.Augment(u); err != nil {
		return computeLine{Error: err.Error()}
	}
	return computeLine{Object: u.Object}
}

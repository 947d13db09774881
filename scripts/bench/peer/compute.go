package main

// The compute mode: cli-utils' status.Compute on objects read from stdin, so that the parity
// test can hold kstatus's computeStatus against the Go original object by object.
//
//	kstatus-peer compute < objects.ndjson
//
// Input: one JSON object per line. Output: one JSON line per input line, in order:
//
//	{"status":"InProgress","message":"...","conditions":[{"type":"Reconciling",...}]}
//	{"error":"..."}            when Compute returns an error
//
// Numbers are decoded as the API machinery decodes a server's answer (whole numbers become
// int64), since the original's integer field reads depend on the Go type.

import (
	"bufio"
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
	Status     string             `json:"status,omitempty"`
	Message    string             `json:"message"`
	Conditions []computeCondition `json:"conditions"`
	Error      string             `json:"error,omitempty"`
}

func runCompute(in io.Reader, out io.Writer) int {
	scanner := bufio.NewScanner(in)
	scanner.Buffer(make([]byte, 1<<20), 64<<20)
	w := bufio.NewWriter(out)
	defer w.Flush()
	enc := json.NewEncoder(w)
	for line := 1; scanner.Scan(); line++ {
		var obj map[string]interface{}
		if err := utiljson.Unmarshal(scanner.Bytes(), &obj); err != nil {
			fmt.Fprintf(w, "kstatus-peer: line %d: %v\n", line, err)
			return exitUsage
		}
		if err := enc.Encode(computeOne(obj)); err != nil {
			return exitError
		}
	}
	if err := scanner.Err(); err != nil {
		fmt.Fprintln(w, "kstatus-peer:", err)
		return exitUsage
	}
	return 0
}

func computeOne(obj map[string]interface{}) (result computeLine) {
	// A panic in the original is reported like an error, so one odd object does not end the run.
	defer func() {
		if r := recover(); r != nil {
			result = computeLine{Error: fmt.Sprintf("panic: %v", r)}
		}
	}()
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
	return computeLine{Status: res.Status.String(), Message: res.Message, Conditions: conditions}
}

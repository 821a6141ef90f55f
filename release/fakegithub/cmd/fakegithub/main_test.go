package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tagdb/tagdb-action/release/fakegithub"

	// Defines -update, so that `go test ./... -update` also runs this package.
	_ "github.com/tagdb/tagdb-action/internal/golden"
)

func TestRunWritesURLAndState(t *testing.T) {
	dir := t.TempDir()
	urlFile := filepath.Join(dir, "url")
	stateFile := filepath.Join(dir, "state.json")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var stdout, stderr bytes.Buffer
	go func() {
		done <- run(ctx, []string{"--url-file", urlFile, "--token", "tok", "--state-file", stateFile}, &stdout, &stderr)
	}()

	var base string
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if b, err := os.ReadFile(urlFile); err == nil {
			base = strings.TrimSpace(string(b))
			break
		}
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("url file holds %q", base)
	}
	req, _ := http.NewRequest("POST", base+"/repos/o/r/releases", strings.NewReader(`{"tag_name":"v1"}`))
	req.Header.Set("Authorization", "token tok")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 201 {
		t.Fatalf("create release: %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("run: %v (stderr %s)", err, stderr.String())
	}
	b, err := os.ReadFile(stateFile)
	if err != nil {
		t.Fatal(err)
	}
	var st fakegithub.State
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	if rels := st.Repos["o/r"].Releases; len(rels) != 1 || rels[0].Tag != "v1" {
		t.Errorf("state file: %s", b)
	}
}

func TestRunRejectsNonLoopback(t *testing.T) {
	var out bytes.Buffer
	err := run(context.Background(), []string{"--addr", "0.0.0.0:0"}, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "loopback") {
		t.Errorf("err = %v", err)
	}
}

// Command dashboard-check decodes Grafana dashboard JSON files strictly against
// the dashboard schema as published in grafana-foundation-sdk (Go types
// generated from Grafana's own schema): an unknown field or a value of the
// wrong type at any level is an error, and so is a violated constraint
// (Validate). Panel options are decoded by the panel type's own schema
// (timeseries, stat, ...) and targets by the Prometheus query schema, once
// the SDK's plugin variants are registered.
//
// Usage: dashboard-check FILE...   (exit 0 when all pass; one line per file)
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/cog/plugins"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
)

// importOnlyFields are the keys Grafana's "Export for sharing externally" adds
// around a dashboard (the datasource inputs asked for at import); they are
// part of the import format, not of the dashboard schema, so they are checked
// here and removed before the strict decode.
var importOnlyFields = []string{"__inputs", "__requires", "__elements"}

type input struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	PluginID string `json:"pluginId"`
}

func check(path string) (int, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(raw, &top); err != nil {
		return 0, fmt.Errorf("not a JSON object: %w", err)
	}
	var inputs []input
	if err := json.Unmarshal(top["__inputs"], &inputs); err != nil {
		return 0, fmt.Errorf("__inputs: %w", err)
	}
	found := false
	for _, in := range inputs {
		if in.Name == "DS_PROMETHEUS" && in.Type == "datasource" && in.PluginID == "prometheus" {
			found = true
		}
	}
	if !found {
		return 0, fmt.Errorf("__inputs: no datasource input DS_PROMETHEUS for plugin prometheus")
	}
	for _, k := range importOnlyFields {
		delete(top, k)
	}
	stripped, err := json.Marshal(top)
	if err != nil {
		return 0, err
	}
	var d dashboard.Dashboard
	if err := realError(d.UnmarshalJSONStrict(stripped)); err != nil {
		return 0, err
	}
	if err := realError(d.Validate()); err != nil {
		return 0, err
	}
	// The SDK's PanelOrRowPanel drops a panel that decoded without error (the
	// same typed-nil error, taken as a failure), so each panel is decoded and
	// validated here on its own as well: options by the panel type's schema,
	// targets by the Prometheus query schema.
	var rawPanels []json.RawMessage
	if err := json.Unmarshal(top["panels"], &rawPanels); err != nil {
		return 0, fmt.Errorf("panels: %w", err)
	}
	panels := 0
	for i, raw := range rawPanels {
		var p dashboard.Panel
		if err := realError(p.UnmarshalJSONStrict(raw)); err != nil {
			return 0, fmt.Errorf("panels[%d]: %w", i, err)
		}
		if err := realError(p.Validate()); err != nil {
			return 0, fmt.Errorf("panels[%d]: %w", i, err)
		}
		// The same typed nil makes the SDK's Panel drop options and targets that
		// decoded cleanly, so both are decoded again here with their schemas.
		var fields struct {
			Options json.RawMessage   `json:"options"`
			Targets []json.RawMessage `json:"targets"`
		}
		if err := json.Unmarshal(raw, &fields); err != nil {
			return 0, fmt.Errorf("panels[%d]: %w", i, err)
		}
		variant, found := cog.ConfigForPanelcfgVariant(p.Type)
		if !found || variant.StrictOptionsUnmarshaler == nil {
			return 0, fmt.Errorf("panels[%d] %q: panel type %q has no options schema in the SDK", i, derefString(p.Title), p.Type)
		}
		if fields.Options == nil {
			return 0, fmt.Errorf("panels[%d] %q: no options", i, derefString(p.Title))
		}
		if _, err := variant.StrictOptionsUnmarshaler(fields.Options); realError(err) != nil {
			return 0, fmt.Errorf("panels[%d].options: %w", i, err)
		}
		if len(fields.Targets) == 0 {
			return 0, fmt.Errorf("panels[%d] %q: no targets", i, derefString(p.Title))
		}
		for j, t := range fields.Targets {
			var q prometheus.Dataquery
			if err := realError(q.UnmarshalJSONStrict(t)); err != nil {
				return 0, fmt.Errorf("panels[%d].targets[%d]: %w", i, j, err)
			}
			if err := realError(q.Validate()); err != nil {
				return 0, fmt.Errorf("panels[%d].targets[%d]: %w", i, j, err)
			}
			if q.Expr == "" {
				return 0, fmt.Errorf("panels[%d].targets[%d]: empty expr", i, j)
			}
		}
		panels++
	}
	if panels == 0 {
		return 0, fmt.Errorf("no panels")
	}
	return panels, nil
}

// realError works around the SDK's generated code returning its error list
// as a typed nil (cog.BuildErrors(nil) in an error interface, which is != nil)
// when nothing was wrong: an empty list is no error.
func realError(err error) error {
	var list cog.BuildErrors
	if errors.As(err, &list) && len(list) == 0 {
		return nil
	}
	return err
}

func derefString(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func main() {
	// Registers every panel type's options schema and every datasource's query
	// schema, so that Panel.UnmarshalJSONStrict decodes options and targets
	// strictly rather than into untyped maps.
	plugins.RegisterDefaultPlugins()
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: dashboard-check FILE...")
		os.Exit(2)
	}
	failed := false
	for _, path := range os.Args[1:] {
		n, err := check(path)
		if err != nil {
			fmt.Printf("FAIL %s: %v\n", path, err)
			failed = true
			continue
		}
		fmt.Printf("ok %s panels=%d\n", path, n)
	}
	if failed {
		os.Exit(1)
	}
}

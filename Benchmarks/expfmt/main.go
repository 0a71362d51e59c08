// Command expfmt-bench parses a Prometheus text exposition file with expfmt's
// TextParser.TextToMetricFamilies several times and prints the median time and throughput.
// Built by burnwatch-bench in GOPATH mode against Debian's golang-github-prometheus-common-dev.
package main

import (
	"bytes"
	"fmt"
	"os"
	"sort"
	"strconv"
	"time"

	"github.com/prometheus/common/expfmt"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: expfmt-bench FILE [RUNS]")
		os.Exit(2)
	}
	body, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	runs := 5
	if len(os.Args) > 2 {
		runs, _ = strconv.Atoi(os.Args[2])
	}
	var times []float64
	series := 0
	for i := 0; i < runs; i++ {
		var parser expfmt.TextParser
		start := time.Now()
		families, err := parser.TextToMetricFamilies(bytes.NewReader(body))
		elapsed := time.Since(start).Seconds()
		if err != nil {
			fmt.Fprintln(os.Stderr, "parse error:", err)
			os.Exit(1)
		}
		series = 0
		for _, f := range families {
			series += len(f.Metric)
		}
		times = append(times, elapsed)
	}
	sort.Float64s(times)
	median := times[len(times)/2]
	fmt.Printf("seconds=%.6f mbps=%.2f metrics=%d\n", median, float64(len(body))/median/1e6, series)
}

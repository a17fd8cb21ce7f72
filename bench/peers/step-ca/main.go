// Command step-ca for the issuance benchmark (bench/stepca-issuance.bench.ts).
//
// Debian's golang-github-smallstep-certificates-dev (0.19.0) ships the step-ca library but no
// cmd/step-ca, so this is the smallest program that runs the library's own server action
// (commands.AppCommand: load ca.json, ca.New, serve until SIGTERM), which is what upstream's
// step-ca binary does when started as `step-ca <config>`. Nothing here changes how step-ca signs certificates.
// Built offline by scripts/build-step-ca.sh (GOPATH mode against /usr/share/gocode).
package main

import (
	"fmt"
	"os"

	"github.com/smallstep/certificates/commands"
	"github.com/urfave/cli"
	"go.step.sm/cli-utils/step"
)

func main() {
	step.Set("Smallstep CA", "0.19.0 (Debian source package)", "anchorage-bench")
	app := cli.NewApp()
	app.Name = "step-ca"
	app.HelpName = "step-ca"
	app.Version = step.Version()
	app.Usage = "step-ca built from Debian's Go source package for benchmarks"
	app.UsageText = commands.AppCommand.UsageText
	app.Flags = commands.AppCommand.Flags
	app.Action = commands.AppCommand.Action
	if err := app.Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

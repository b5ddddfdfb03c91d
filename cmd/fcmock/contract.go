package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/fcmock/fcmock/contract"
	"github.com/fcmock/fcmock/internal/fc"
)

// contractConfig is what `fcmock contract` runs with.
type contractConfig struct {
	target, service, function, qualifier string
	mock, verifiesSignatures             bool
	profile                              string
	junit, json                          string
	seed                                 int64
	cases, minInvocations                int
	timeout                              time.Duration
	list                                 bool
	mutating                             bool          // run the lifecycle/* checks
	lifecycleWait                        time.Duration // their bound on each wait
	adminToken                           string        // for the mock's clock
	lifecycleFunction                    string        // SERVICE[.QUALIFIER]/FUNCTION; "": the family makes its own
}

func runContract(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, err := parseContractFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		writeNoVerdict(cfg, err, stderr)
		return exitUsage
	}
	if cfg.list {
		for _, c := range contract.Checks() {
			fmt.Fprintf(stdout, "%-30s %s%s\n", c.Name, c.Rule, listRemark(c))
		}
		return exitOK
	}
	target, err := contractTarget(cfg, os.LookupEnv, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock contract:", err)
		writeNoVerdict(cfg, err, stderr)
		return exitUsage
	}
	opts := contract.Options{Seed: cfg.seed, Cases: cfg.cases, Progress: stderr, Profile: contract.Profile(cfg.profile),
		MinInvocations: cfg.minInvocations, Mutating: cfg.mutating, LifecycleWait: cfg.lifecycleWait,
		LifecycleFunction: parseFunctionRef(cfg.lifecycleFunction)}
	rep, err := contract.Run(ctx, target, opts)
	if err != nil {
		fmt.Fprintln(stderr, "fcmock:", err)
		if rep != nil { // no verdict, but a report that says why
			if werr := writeReportFiles(cfg, rep); werr != nil {
				fmt.Fprintln(stderr, "fcmock contract:", werr)
			}
		} else {
			writeNoVerdict(cfg, err, stderr)
		}
		return exitUsage
	}
	if err := rep.WriteText(stdout); err != nil {
		fmt.Fprintln(stderr, "fcmock contract:", err)
		return exitUsage
	}
	if err := writeReportFiles(cfg, rep); err != nil {
		fmt.Fprintln(stderr, "fcmock contract:", err)
		return exitUsage
	}
	if !rep.OK() {
		return exitFail
	}
	return exitOK
}

// writeNoVerdict writes the JUnit and JSON files asked for, when a usage error stops the run
// before it starts: a CI step that reads them finds them, with the reason.
func writeNoVerdict(cfg contractConfig, reason error, stderr io.Writer) {
	if cfg.junit == "" && cfg.json == "" {
		return
	}
	rep := &contract.Report{Profile: contract.Profile(cfg.profile), Error: "usage: " + reason.Error(),
		Target: contract.TargetInfo{BaseURL: cfg.target, Service: cfg.service, Function: cfg.function, Qualifier: cfg.qualifier}}
	if err := writeReportFiles(cfg, rep); err != nil {
		fmt.Fprintln(stderr, "fcmock contract:", err)
	}
}

func parseContractFlags(args []string, stderr io.Writer) (contractConfig, error) {
	var cfg contractConfig
	fs := flag.NewFlagSet("fcmock contract", flag.ContinueOnError)
	fs.StringVar(&cfg.target, "target", "", "base URL of the service under test, e.g. http://127.0.0.1:9000 (required)")
	fs.StringVar(&cfg.service, "service", "", "service whose function is listed (required)")
	fs.StringVar(&cfg.function, "function", "", "function whose invocations are listed (required)")
	fs.StringVar(&cfg.qualifier, "qualifier", "", "version, alias or LATEST to list (service.qualifier)")
	fs.StringVar(&cfg.profile, "profile", "", "service (the default): fail only on rules the doc, or SDKs rated H, make; "+
		"mock: fail on every rule, fcmock's own choices included")
	fs.BoolVar(&cfg.mock, "mock", false, "the target is fcmock: --profile mock, and its data does not change while the suite runs")
	fs.IntVar(&cfg.minInvocations, "min-invocations", 0, "fail when the function holds fewer invocations (0: report thin data as not exercised)")
	fs.BoolVar(&cfg.verifiesSignatures, "verifies-signatures", false,
		"the target checks FC signatures: also run the signature/* checks (needs credentials)")
	fs.StringVar(&cfg.junit, "junit", "", "write a JUnit XML report to this file")
	fs.StringVar(&cfg.json, "json", "", "write a JSON report to this file")
	fs.Int64Var(&cfg.seed, "seed", 0, "seed of the generated cases (0: a new one, printed in the report)")
	fs.IntVar(&cfg.cases, "cases", contract.DefaultCases, "number of generated cases (-1: none)")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Second, "timeout of each request")
	fs.BoolVar(&cfg.list, "list", false, "list the checks and exit")
	fs.BoolVar(&cfg.mutating, "mutating", false,
		"also run the lifecycle/* and resources/* checks: they invoke and stop invocations (on a real account that costs money) "+
			"and create, change and delete services of their own")
	fs.DurationVar(&cfg.lifecycleWait, "lifecycle-wait", contract.DefaultLifecycleWait,
		"with --mutating, the longest wait for each outcome on a clock the suite cannot advance")
	fs.StringVar(&cfg.adminToken, "admin-token", "", "with --mutating, the X-Fcmock-Admin-Token of a mock started with --admin-token (to move its clock)")
	fs.StringVar(&cfg.lifecycleFunction, "lifecycle-function", "",
		"with --mutating, SERVICE[.QUALIFIER]/FUNCTION: run the lifecycle/* checks on this existing function (in stateful mode) "+
			"instead of one they make for themselves (a service fcmock-contract-<seed>-<clock>, deleted when they end)")
	fs.Usage = func() {
		fmt.Fprint(stderr, "Usage: fcmock contract --target URL --service S --function F [--qualifier Q] [--profile service|mock] [--mock]\n"+
			"                       [--verifies-signatures] [--mutating [--lifecycle-function S/F] [--lifecycle-wait D] [--admin-token T]] [--junit FILE] [--json FILE]\n"+
			"                       [--seed N] [--cases N] [--min-invocations N]\n\n"+
			"Signs every request with FC's signature when ALIBABA_CLOUD_ACCESS_KEY_ID and\n"+
			"ALIBABA_CLOUD_ACCESS_KEY_SECRET are set (ALIBABA_CLOUD_SECURITY_TOKEN for STS credentials;\n"+
			"ALIBABA_CLOUD_ACCOUNT_ID or FC_ACCOUNT_ID for X-Fc-Account-Id).\n"+
			"Exit status: 0 all checks passed, 1 violations, 2 usage error or target unreachable (the JUnit and\n"+
			"JSON files are written even then, with the reason).\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return cfg, err
	}
	if cfg.list {
		return cfg, nil
	}
	switch {
	case cfg.mock && cfg.profile == "":
		cfg.profile = string(contract.ProfileMock)
	case cfg.profile == "":
		cfg.profile = string(contract.ProfileService)
	case cfg.profile != string(contract.ProfileService) && cfg.profile != string(contract.ProfileMock):
		fmt.Fprintf(stderr, "fcmock contract: --profile %q: want service or mock\n", cfg.profile)
		return cfg, errors.New("bad --profile")
	}
	var missing []string
	for _, f := range [][2]string{{"--target", cfg.target}, {"--service", cfg.service}, {"--function", cfg.function}} {
		if f[1] == "" {
			missing = append(missing, f[0])
		}
	}
	if len(missing) > 0 {
		fmt.Fprintf(stderr, "fcmock contract: missing %s\n", strings.Join(missing, ", "))
		fs.Usage()
		return cfg, errors.New("missing flags")
	}
	if cfg.lifecycleFunction != "" && parseFunctionRef(cfg.lifecycleFunction).Function == "" {
		err := fmt.Errorf("--lifecycle-function %q: want SERVICE[.QUALIFIER]/FUNCTION", cfg.lifecycleFunction)
		fmt.Fprintln(stderr, "fcmock contract:", err)
		return cfg, err
	}
	if err := firstError(inRange("cases", cfg.cases, -1, 1_000_000), inRange("timeout", cfg.timeout, time.Millisecond, time.Hour)); err != nil {
		fmt.Fprintln(stderr, "fcmock contract:", err)
		return cfg, err
	}
	return cfg, nil
}

// contractTarget builds the target from the flags and, for signing, the environment.
func contractTarget(cfg contractConfig, lookup func(string) (string, bool), stderr io.Writer) (contract.Target, error) {
	creds, account, err := credentialsFromEnv(lookup)
	if err != nil {
		return contract.Target{}, err
	}
	if cfg.verifiesSignatures && creds == nil {
		return contract.Target{}, errors.New("--verifies-signatures needs credentials to sign with: " +
			"set ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET")
	}
	if creds != nil && account == "" {
		if account = accountFromHost(cfg.target); account == "" {
			fmt.Fprintln(stderr, "fcmock contract: signing without X-Fc-Account-Id: set ALIBABA_CLOUD_ACCOUNT_ID (or FC_ACCOUNT_ID)")
		}
	}
	return contract.Target{
		BaseURL: cfg.target, Service: cfg.service, Function: cfg.function, Qualifier: cfg.qualifier,
		HTTPClient: &http.Client{Timeout: cfg.timeout}, Credentials: creds, AccountID: account, IsMock: cfg.mock,
		VerifiesSignatures: cfg.verifiesSignatures, AdminToken: cfg.adminToken,
	}, nil
}

// parseFunctionRef reads SERVICE[.QUALIFIER]/FUNCTION; anything else is the zero value (the
// suite checks the names).
func parseFunctionRef(s string) contract.FunctionRef {
	segment, function, ok := strings.Cut(s, "/")
	if !ok || segment == "" || function == "" {
		return contract.FunctionRef{}
	}
	service, qualifier, _ := strings.Cut(segment, ".")
	return contract.FunctionRef{Service: service, Qualifier: qualifier, Function: function}
}

// listRemark says when a check of --list does not simply run and fail.
func listRemark(c contract.CheckInfo) string {
	switch {
	case strings.HasPrefix(c.Name, "signature/"):
		return " (runs only with --verifies-signatures)"
	case strings.HasPrefix(c.Name, "lifecycle/"), strings.HasPrefix(c.Name, "resources/"):
		return " (runs only with --mutating)" + evidenceRemark(c)
	}
	return evidenceRemark(c)
}

// evidenceRemark gives a check's evidence level, and says when only the mock profile fails it.
func evidenceRemark(c contract.CheckInfo) string {
	if c.Evidence == "" {
		return ""
	}
	ev, err := contract.EvidenceAt(c.Evidence)
	if err != nil {
		return ""
	}
	if !contract.ProfileService.Fails(ev) {
		return " [" + ev.Level + "/" + ev.Confidence + ": fails only in --profile mock]"
	}
	return " [" + ev.Level + "/" + ev.Confidence + "]"
}

// credentialsFromEnv reads the Alibaba Cloud credential variables the vendor's SDKs and CLI
// use. No key id and no secret means an unsigned run; half a pair is an error.
func credentialsFromEnv(lookup func(string) (string, bool)) (*fc.Credentials, string, error) {
	get := func(name string) string { v, _ := lookup(name); return strings.TrimSpace(v) }
	id, secret, token := get("ALIBABA_CLOUD_ACCESS_KEY_ID"), get("ALIBABA_CLOUD_ACCESS_KEY_SECRET"), get("ALIBABA_CLOUD_SECURITY_TOKEN")
	account := get("ALIBABA_CLOUD_ACCOUNT_ID")
	if account == "" {
		account = get("FC_ACCOUNT_ID")
	}
	switch {
	case id == "" && secret == "" && token == "":
		return nil, account, nil
	case id == "" || secret == "":
		return nil, "", errors.New("set both ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET to sign requests, or neither")
	}
	return &fc.Credentials{AccessKeyID: id, AccessKeySecret: secret, SecurityToken: token}, account, nil
}

// accountFromHost reads the account id from an FC endpoint, <accountId>.<region>.fc.aliyuncs.com.
func accountFromHost(target string) string {
	u, err := url.Parse(target)
	if err != nil {
		return ""
	}
	first, _, _ := strings.Cut(u.Hostname(), ".")
	if first == "" || !fc.IsVersionID(first) || !strings.HasSuffix(u.Hostname(), ".aliyuncs.com") {
		return ""
	}
	return first
}

func writeReportFiles(cfg contractConfig, rep *contract.Report) error {
	for _, out := range []struct {
		path  string
		write func(io.Writer) error
	}{{cfg.junit, rep.WriteJUnit}, {cfg.json, rep.WriteJSON}} {
		if out.path == "" {
			continue
		}
		f, err := os.Create(out.path)
		if err != nil {
			return err
		}
		err = out.write(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", out.path, err)
		}
	}
	return nil
}

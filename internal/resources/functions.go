package resources

import (
	"context"
	"encoding/base64"
	"hash/crc64"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// runtimes are FC 2.0's runtimes, in the order the "invalid runtime" message lists them.
var runtimes = []string{
	"nodejs4.4", "nodejs6", "nodejs8", "nodejs10", "nodejs12", "nodejs14", "nodejs16", "nodejs18", "nodejs20",
	"python2.7", "python3", "python3.9", "python3.10",
	"java8", "java11", "php7.2", "dotnetcore2.1", "dotnetcore3.1", "go1",
	"custom", "custom.debian10", "custom-container",
}

// CustomContainer is the runtime that needs no code package.
const CustomContainer = "custom-container"

// Code is a checked code package: its bytes and FC's checksum of them.
type Code struct {
	Bytes    []byte
	Checksum string // CRC-64/ECMA, unsigned decimal (what OSS sends as X-Oss-Hash-Crc64ecma)
}

var crcTable = crc64.MakeTable(crc64.ECMA)

// Checksum is FC's codeChecksum of b.
func Checksum(b []byte) string { return strconv.FormatUint(crc64.Checksum(b, crcTable), 10) }

// ossBucketRE is OSS's bucket naming rule.
var ossBucketRE = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)

// NewCode checks a request's code (nil: none) against the X-Fc-Code-Checksum header (""
// when absent). A zip is decoded from base64; OSS code is accepted by name alone (see the
// spec's CreateFunction: the mock cannot read OSS) and stands for the text naming it.
func NewCode(in *fcapi.FunctionCodeInput, checksum string) (*Code, error) {
	if in == nil {
		return nil, nil
	}
	zip, bucket, object := deref(in.ZipFile), deref(in.OssBucketName), deref(in.OssObjectName)
	var c Code
	switch {
	case zip != "" && (bucket != "" || object != ""):
		return nil, fc.Errorf(fc.CodeInvalidArgument, "code: give either zipFile or ossBucketName and ossObjectName, not both")
	case zip != "":
		b, err := base64.StdEncoding.DecodeString(zip)
		if err != nil {
			return nil, fc.Wrap(err, fc.CodeInvalidArgument, "code.zipFile is not valid base64: "+err.Error())
		}
		c = Code{Bytes: b, Checksum: Checksum(b)}
		if checksum != "" && checksum != c.Checksum {
			return nil, fc.Errorf(fc.CodeInvalidArgument, "header %s is %s, but the code's CRC-64 is %s", "X-Fc-Code-Checksum", checksum, c.Checksum)
		}
	case bucket != "" || object != "":
		if !ossBucketRE.MatchString(bucket) || !(strings.HasSuffix(object, ".zip") || strings.HasSuffix(object, ".jar")) {
			return nil, fc.Errorf(fc.CodeInvalidArgument, "code: the object '%s' of OSS bucket '%s' cannot be read "+
				"(the mock reads no OSS: it accepts a legal bucket name with an object ending in .zip or .jar)", object, bucket)
		}
		name := []byte("oss://" + bucket + "/" + object)
		c = Code{Checksum: Checksum(name)}
	default:
		return nil, fc.Errorf(fc.CodeInvalidArgument, "code: give zipFile (base64 of a zip) or ossBucketName and ossObjectName")
	}
	return &c, nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func checkRuntime(rt string) error {
	if slices.Contains(runtimes, rt) {
		return nil
	}
	return fc.Errorf(fc.CodeInvalidArgument, "Runtime is set to an invalid value (allowed: %s, actual: '%s')", strings.Join(runtimes, " | "), rt)
}

// newFunction is FC's defaults for a function named name.
func newFunction(name string, now time.Time) fcapi.Function {
	return fcapi.Function{FunctionName: name, FunctionId: uuid.NewString(), Timeout: 60, InitializationTimeout: 3,
		MemorySize: 128, InstanceConcurrency: 1, InstanceType: "e1", CaPort: 9000,
		EnvironmentVariables: map[string]string{}, Layers: []string{}, CodeChecksum: Checksum(nil),
		CreatedTime: ISOTime(now), LastModifiedTime: ISOTime(now)}
}

// fixtureFunction is a function of the fixtures: the defaults, runtime custom, no code.
func (m *Mem) fixtureFunction(service, name string, now time.Time) *function {
	api := newFunction(name, now)
	api.Runtime, api.Handler = "custom", "index.handler"
	return &function{api: api, etag: m.etag("functions/" + service + "/" + name)}
}

// applyFunction sets the keys in supplies; environmentVariables and sub-objects are replaced whole.
func applyFunction(f *fcapi.Function, in fcapi.FunctionInput) {
	set := func(dst *string, src *string) {
		if src != nil {
			*dst = *src
		}
	}
	set(&f.Description, in.Description)
	set(&f.Runtime, in.Runtime)
	set(&f.Handler, in.Handler)
	set(&f.Initializer, in.Initializer)
	set(&f.InstanceType, in.InstanceType)
	for _, p := range []struct {
		dst *int32
		src *int32
	}{{&f.MemorySize, in.MemorySize}, {&f.Timeout, in.Timeout}, {&f.InitializationTimeout, in.InitializationTimeout},
		{&f.InstanceConcurrency, in.InstanceConcurrency}, {&f.CaPort, in.CaPort}} {
		if p.src != nil {
			*p.dst = *p.src
		}
	}
	if in.EnvironmentVariables != nil {
		f.EnvironmentVariables = *in.EnvironmentVariables
	}
	if in.Layers != nil {
		f.Layers = *in.Layers
	}
	if in.GpuMemorySize != nil {
		f.GpuMemorySize = in.GpuMemorySize
	}
	if in.InstanceSoftConcurrency != nil {
		f.InstanceSoftConcurrency = in.InstanceSoftConcurrency
	}
	for _, p := range []struct {
		dst **map[string]any
		src *map[string]any
	}{{&f.CustomContainerConfig, in.CustomContainerConfig}, {&f.CustomRuntimeConfig, in.CustomRuntimeConfig},
		{&f.CustomDNS, in.CustomDNS}, {&f.InstanceLifecycleConfig, in.InstanceLifecycleConfig}} {
		if p.src != nil {
			c := *p.src
			*p.dst = &c
		}
	}
}

// setCode gives f the code c (nil: none given), stored once per checksum; reserveCode has
// checked that it fits.
func (m *Mem) setCode(f *fcapi.Function, c *Code) {
	if c == nil {
		return
	}
	f.CodeChecksum, f.CodeSize = c.Checksum, int64(len(c.Bytes))
	if _, ok := m.code[c.Checksum]; !ok {
		m.code[c.Checksum] = codePackage{bytes: c.Bytes, size: int64(len(c.Bytes))}
		m.codeBytes += int64(len(c.Bytes))
	}
}

func (m *Mem) ListFunctions(_ context.Context, service, qualifier string, q ListQuery) ([]fcapi.Function, string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, fns, err := m.resolveLocked(service, qualifier)
	if err != nil {
		return nil, "", err
	}
	sel, next := page(fns.names, q)
	out := make([]fcapi.Function, len(sel))
	for i, name := range sel {
		out[i] = fns.get(name).api
	}
	return out, next, nil
}

func (m *Mem) Function(_ context.Context, service, qualifier, name string) (fcapi.Function, string, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	_, fns, err := m.resolveLocked(service, qualifier)
	if err != nil {
		return fcapi.Function{}, "", err
	}
	fn := fns.get(name)
	if fn == nil {
		return fcapi.Function{}, "", functionNotFound(service, name)
	}
	return fn.api, fn.etag, nil
}

func (m *Mem) CreateFunction(_ context.Context, service string, in fcapi.FunctionInput, code *Code, now time.Time) (fcapi.Function, string, error) {
	name := deref(in.FunctionName)
	switch {
	case name == "":
		return fcapi.Function{}, "", fc.Errorf(fc.CodeInvalidArgument, `the body must name the function: "functionName" is required`)
	case len(name) > 64 || !fc.ValidName(name):
		return fcapi.Function{}, "", fc.Errorf(fc.CodeInvalidArgument,
			"functionName '%s' is invalid: a letter or _ first, then letters, digits, _ or -, at most 64 characters", name)
	case in.Runtime == nil:
		return fcapi.Function{}, "", fc.Errorf(fc.CodeInvalidArgument, `"runtime" is required`)
	}
	if err := checkRuntime(*in.Runtime); err != nil {
		return fcapi.Function{}, "", err
	}
	custom := *in.Runtime == CustomContainer
	switch {
	case deref(in.Handler) == "" && !custom:
		return fcapi.Function{}, "", fc.Errorf(fc.CodeInvalidArgument, `"handler" is required`)
	case code == nil && !custom:
		return fcapi.Function{}, "", fc.Errorf(fc.CodeInvalidArgument, `"code" is required for runtime '%s': give zipFile or ossBucketName and ossObjectName`, *in.Runtime)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	svc := m.services[service]
	if svc == nil {
		return fcapi.Function{}, "", serviceNotFound(service)
	}
	if svc.functions.get(name) != nil {
		return fcapi.Function{}, "", fc.Errorf(fc.CodeFunctionAlreadyExists, "function '%s' already exists in service '%s'", name, service)
	}
	if err := m.reserveCode(code); err != nil {
		return fcapi.Function{}, "", err
	}
	if err := m.reserve(1); err != nil {
		return fcapi.Function{}, "", err
	}
	api := newFunction(name, now)
	applyFunction(&api, in)
	m.setCode(&api, code)
	fn := &function{api: api, etag: m.etag("functions/" + service + "/" + name)}
	svc.functions.put(name, fn)
	svc.changed = true
	return fn.api, fn.etag, nil
}

func (m *Mem) UpdateFunction(_ context.Context, service, name, ifMatch string, in fcapi.FunctionInput, code *Code, now time.Time) (fcapi.Function, string, error) {
	if in.Runtime != nil {
		if err := checkRuntime(*in.Runtime); err != nil {
			return fcapi.Function{}, "", err
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	svc := m.services[service]
	if svc == nil {
		return fcapi.Function{}, "", serviceNotFound(service)
	}
	fn := svc.functions.get(name)
	if fn == nil {
		return fcapi.Function{}, "", functionNotFound(service, name)
	}
	if err := checkIfMatch(ifMatch, fn.etag); err != nil {
		return fcapi.Function{}, "", err
	}
	if err := m.reserveCode(code); err != nil {
		return fcapi.Function{}, "", err
	}
	api := fn.api // a copy: snapshots share nothing that changes
	applyFunction(&api, in)
	m.setCode(&api, code)
	api.LastModifiedTime = ISOTime(now)
	fn = &function{api: api, etag: m.etag("functions/" + service + "/" + name)}
	svc.functions.put(name, fn)
	svc.changed = true
	return fn.api, fn.etag, nil
}

func (m *Mem) DeleteFunction(_ context.Context, service, name, ifMatch string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	svc := m.services[service]
	if svc == nil {
		return serviceNotFound(service)
	}
	fn := svc.functions.get(name)
	if fn == nil {
		return functionNotFound(service, name)
	}
	if err := checkIfMatch(ifMatch, fn.etag); err != nil {
		return err
	}
	svc.functions.remove(name)
	svc.changed, m.count = true, m.count-1
	return nil
}

func (m *Mem) CodeBytes(_ context.Context, checksum string) ([]byte, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.code[checksum]
	return c.bytes, ok, nil
}

// CodeSize returns the size of the code package stored under checksum, and whether one is:
// a shared store reads the bytes of a package its decoded Mem knows from elsewhere.
func (m *Mem) CodeSize(checksum string) (int64, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	c, ok := m.code[checksum]
	return c.size, ok
}

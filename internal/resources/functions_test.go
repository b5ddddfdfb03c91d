package resources

import (
	"encoding/base64"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/fcmock/fcmock/gen/fcapi"
	"github.com/fcmock/fcmock/internal/fc"
)

// FC's codeChecksum is CRC-64/XZ (Go's ECMA table) in unsigned decimal: the catalogue's check
// value for "123456789" is 0x995dc9bbdf1939fa.
func TestChecksumIsCRC64ECMA(t *testing.T) {
	for in, want := range map[string]string{"": "0", "123456789": "11051210869376104954"} {
		if got := Checksum([]byte(in)); got != want {
			t.Errorf("Checksum(%q) = %s, want %s", in, got, want)
		}
	}
}

func TestNewCode(t *testing.T) {
	zip := []byte("PK\x03\x04 a zip")
	b64 := base64.StdEncoding.EncodeToString(zip)
	for _, c := range []struct {
		name     string
		in       *fcapi.FunctionCodeInput
		checksum string
		want     *Code // nil with wantErr "": no code
		wantErr  string
	}{
		{"none", nil, "", nil, ""},
		{"zip", &fcapi.FunctionCodeInput{ZipFile: &b64}, "", &Code{Bytes: zip, Checksum: Checksum(zip)}, ""},
		{"zip with its checksum", &fcapi.FunctionCodeInput{ZipFile: &b64}, Checksum(zip), &Code{Bytes: zip, Checksum: Checksum(zip)}, ""},
		{"zip with another checksum", &fcapi.FunctionCodeInput{ZipFile: &b64}, "123", nil, "X-Fc-Code-Checksum"},
		{"zip not base64", &fcapi.FunctionCodeInput{ZipFile: ptr("not base64!")}, "", nil, "not valid base64"},
		{"zip and OSS", &fcapi.FunctionCodeInput{ZipFile: &b64, OssBucketName: ptr("bucket")}, "", nil, "not both"},
		{"zip and an OSS object", &fcapi.FunctionCodeInput{ZipFile: &b64, OssObjectName: ptr("a.zip")}, "", nil, "not both"},
		{"OSS .zip", &fcapi.FunctionCodeInput{OssBucketName: ptr("my-bucket"), OssObjectName: ptr("dir/code.zip")}, "",
			&Code{Checksum: Checksum([]byte("oss://my-bucket/dir/code.zip"))}, ""},
		{"OSS .jar", &fcapi.FunctionCodeInput{OssBucketName: ptr("b01"), OssObjectName: ptr("a.jar")}, "",
			&Code{Checksum: Checksum([]byte("oss://b01/a.jar"))}, ""},
		{"OSS object not a zip or jar", &fcapi.FunctionCodeInput{OssBucketName: ptr("my-bucket"), OssObjectName: ptr("code.tar")}, "", nil, "cannot be read"},
		{"OSS bucket too short", &fcapi.FunctionCodeInput{OssBucketName: ptr("ab"), OssObjectName: ptr("a.zip")}, "", nil, "cannot be read"},
		{"OSS bucket in capitals", &fcapi.FunctionCodeInput{OssBucketName: ptr("Bucket"), OssObjectName: ptr("a.zip")}, "", nil, "cannot be read"},
		{"OSS object without a bucket", &fcapi.FunctionCodeInput{OssObjectName: ptr("a.zip")}, "", nil, "cannot be read"},
		{"OSS bucket without an object", &fcapi.FunctionCodeInput{OssBucketName: ptr("my-bucket")}, "", nil, "cannot be read"},
		{"empty", &fcapi.FunctionCodeInput{}, "", nil, "give zipFile"},
		{"empty strings", &fcapi.FunctionCodeInput{ZipFile: ptr(""), OssBucketName: ptr(""), OssObjectName: ptr("")}, "", nil, "give zipFile"},
	} {
		got, err := NewCode(c.in, c.checksum)
		if c.wantErr != "" {
			if fc.CodeOf(err) != fc.CodeInvalidArgument || !strings.Contains(err.Error(), c.wantErr) {
				t.Errorf("%s: %v, want InvalidArgument saying %q", c.name, err, c.wantErr)
			}
			continue
		}
		if err != nil || !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: %+v, %v; want %+v", c.name, got, err, c.want)
		}
	}
}

// A function made with only its name, runtime, handler and code has FC's defaults.
func TestFunctionDefaults(t *testing.T) {
	m := fixtureStore()
	code := &Code{Bytes: []byte("zip"), Checksum: Checksum([]byte("zip"))}
	got, _, err := m.CreateFunction(ctx, "svc", fcapi.FunctionInput{FunctionName: ptr("f"), Runtime: ptr("python3"), Handler: ptr("index.handler")}, code, t0)
	if err != nil {
		t.Fatal(err)
	}
	want := fcapi.Function{FunctionName: "f", FunctionId: got.FunctionId, Runtime: "python3", Handler: "index.handler",
		Timeout: 60, InitializationTimeout: 3, MemorySize: 128, InstanceConcurrency: 1, InstanceType: "e1", CaPort: 9000,
		EnvironmentVariables: map[string]string{}, Layers: []string{}, CodeChecksum: code.Checksum, CodeSize: 3,
		CreatedTime: ISOTime(t0), LastModifiedTime: ISOTime(t0)}
	if !reflect.DeepEqual(got, want) || got.FunctionId == "" {
		t.Errorf("created\n %+v\nwant\n %+v", got, want)
	}
	fixture, _, err := m.Function(ctx, "svc", "", "fn")
	if err != nil || fixture.Runtime != "custom" || fixture.Handler != "index.handler" || fixture.CodeChecksum != Checksum(nil) || fixture.CodeSize != 0 {
		t.Errorf("the fixtures' function: %+v, %v; want runtime custom, handler index.handler, no code", fixture, err)
	}
}

// Every key of a create or update lands in the function; environmentVariables, layers and the
// sub-objects are replaced whole.
func TestFunctionInputLands(t *testing.T) {
	in := fcapi.FunctionInput{Description: ptr("d"), Runtime: ptr("nodejs18"), Handler: ptr("h.h"), Initializer: ptr("h.init"),
		InstanceType: ptr("c1"), MemorySize: ptr(int32(512)), Timeout: ptr(int32(30)), InitializationTimeout: ptr(int32(9)),
		InstanceConcurrency: ptr(int32(5)), CaPort: ptr(int32(8080)), EnvironmentVariables: &map[string]string{"K": "V"},
		Layers: &[]string{"l1"}, GpuMemorySize: ptr(int32(2048)), InstanceSoftConcurrency: ptr(int32(4)),
		CustomContainerConfig: &map[string]any{"image": "i"}, CustomRuntimeConfig: &map[string]any{"command": []any{"x"}},
		CustomDNS: &map[string]any{"nameServers": []any{"1.1.1.1"}}, InstanceLifecycleConfig: &map[string]any{"preStop": map[string]any{}}}
	check := func(t *testing.T, got fcapi.Function) {
		t.Helper()
		want := fcapi.Function{FunctionName: "f", FunctionId: got.FunctionId, Description: "d", Runtime: "nodejs18", Handler: "h.h",
			Initializer: "h.init", InstanceType: "c1", MemorySize: 512, Timeout: 30, InitializationTimeout: 9, InstanceConcurrency: 5,
			CaPort: 8080, EnvironmentVariables: map[string]string{"K": "V"}, Layers: []string{"l1"}, GpuMemorySize: ptr(int32(2048)),
			InstanceSoftConcurrency: ptr(int32(4)), CustomContainerConfig: &map[string]any{"image": "i"},
			CustomRuntimeConfig: &map[string]any{"command": []any{"x"}}, CustomDNS: &map[string]any{"nameServers": []any{"1.1.1.1"}},
			InstanceLifecycleConfig: &map[string]any{"preStop": map[string]any{}}, CodeChecksum: got.CodeChecksum, CodeSize: got.CodeSize,
			CreatedTime: got.CreatedTime, LastModifiedTime: got.LastModifiedTime}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got\n %+v\nwant\n %+v", got, want)
		}
	}
	t.Run("create", func(t *testing.T) {
		m := fixtureStore()
		c := in
		c.FunctionName = ptr("f")
		got, _, err := m.CreateFunction(ctx, "svc", c, &Code{Checksum: Checksum(nil)}, t0)
		if err != nil {
			t.Fatal(err)
		}
		check(t, got)
	})
	t.Run("update", func(t *testing.T) {
		m := fixtureStore()
		if _, _, err := m.CreateFunction(ctx, "svc", fcapi.FunctionInput{FunctionName: ptr("f"), Runtime: ptr(CustomContainer),
			EnvironmentVariables: &map[string]string{"OLD": "1"}, Layers: &[]string{"l0", "l2"}}, nil, t0); err != nil {
			t.Fatal(err)
		}
		later := t0.Add(time.Minute)
		got, _, err := m.UpdateFunction(ctx, "svc", "f", "", in, nil, later)
		if err != nil {
			t.Fatal(err)
		}
		check(t, got)
		if got.CreatedTime != ISOTime(t0) || got.LastModifiedTime != ISOTime(later) {
			t.Errorf("times %s / %s, want created %s, modified %s", got.CreatedTime, got.LastModifiedTime, ISOTime(t0), ISOTime(later))
		}
		// An empty update changes nothing but the time.
		again, _, err := m.UpdateFunction(ctx, "svc", "f", "", fcapi.FunctionInput{}, nil, later)
		if err != nil {
			t.Fatal(err)
		}
		check(t, again)
	})
}

// CreateFunction's rules, in FC's order: name, runtime, handler and code (but for
// custom-container), then the service and uniqueness.
func TestCreateFunctionRules(t *testing.T) {
	zip := &Code{Bytes: []byte("z"), Checksum: Checksum([]byte("z"))}
	for _, c := range []struct {
		name    string
		service string
		in      fcapi.FunctionInput
		code    *Code
		want    fc.Code
		says    string
	}{
		{"ok", "svc", fcapi.FunctionInput{FunctionName: ptr("f"), Runtime: ptr("go1"), Handler: ptr("main")}, zip, "", ""},
		{"64 characters", "svc", fcapi.FunctionInput{FunctionName: ptr(strings.Repeat("f", 64)), Runtime: ptr("go1"), Handler: ptr("main")}, zip, "", ""},
		{"custom-container without handler or code", "svc", fcapi.FunctionInput{FunctionName: ptr("f"), Runtime: ptr(CustomContainer)}, nil, "", ""},
		{"no name", "svc", fcapi.FunctionInput{Runtime: ptr("go1"), Handler: ptr("main")}, zip, fc.CodeInvalidArgument, `"functionName" is required`},
		{"65 characters", "svc", fcapi.FunctionInput{FunctionName: ptr(strings.Repeat("f", 65)), Runtime: ptr("go1"), Handler: ptr("main")}, zip, fc.CodeInvalidArgument, "at most 64"},
		{"a digit first", "svc", fcapi.FunctionInput{FunctionName: ptr("1f"), Runtime: ptr("go1"), Handler: ptr("main")}, zip, fc.CodeInvalidArgument, "at most 64"},
		{"no runtime", "svc", fcapi.FunctionInput{FunctionName: ptr("f"), Handler: ptr("main")}, zip, fc.CodeInvalidArgument, `"runtime" is required`},
		{"unknown runtime", "svc", fcapi.FunctionInput{FunctionName: ptr("f"), Runtime: ptr("cobol"), Handler: ptr("main")}, zip, fc.CodeInvalidArgument, "actual: 'cobol'"},
		{"no handler", "svc", fcapi.FunctionInput{FunctionName: ptr("f"), Runtime: ptr("go1")}, zip, fc.CodeInvalidArgument, `"handler" is required`},
		{"empty handler", "svc", fcapi.FunctionInput{FunctionName: ptr("f"), Runtime: ptr("go1"), Handler: ptr("")}, zip, fc.CodeInvalidArgument, `"handler" is required`},
		{"no code", "svc", fcapi.FunctionInput{FunctionName: ptr("f"), Runtime: ptr("go1"), Handler: ptr("main")}, nil, fc.CodeInvalidArgument, `"code" is required for runtime 'go1'`},
		{"no service", "nope", fcapi.FunctionInput{FunctionName: ptr("f"), Runtime: ptr("go1"), Handler: ptr("main")}, zip, fc.CodeServiceNotFound, "nope"},
		{"exists", "svc", fcapi.FunctionInput{FunctionName: ptr("fn"), Runtime: ptr("go1"), Handler: ptr("main")}, zip, fc.CodeFunctionAlreadyExists, "'fn'"},
	} {
		m := fixtureStore()
		_, _, err := m.CreateFunction(ctx, c.service, c.in, c.code, t0)
		if fc.CodeOf(err) != c.want || c.says != "" && !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want %q saying %q", c.name, err, c.want, c.says)
		}
		fns, _, _ := m.ListFunctions(ctx, "svc", "", ListQuery{Limit: 10})
		if want := map[bool]int{true: 2, false: 1}[c.want == "" && c.service == "svc"]; len(fns) != want {
			t.Errorf("%s: %d functions after, want %d", c.name, len(fns), want)
		}
	}
}

func TestEveryRuntimeIsAccepted(t *testing.T) {
	for _, rt := range runtimes {
		if err := checkRuntime(rt); err != nil {
			t.Errorf("%s: %v", rt, err)
		}
	}
	for _, rt := range []string{"", "python", "go1 ", "Custom"} {
		if err := checkRuntime(rt); fc.CodeOf(err) != fc.CodeInvalidArgument {
			t.Errorf("%q accepted", rt)
		}
	}
}

func TestUpdateAndDeleteFunctionRules(t *testing.T) {
	m := fixtureStore()
	_, tag, _ := m.Function(ctx, "svc", "", "fn")
	for _, c := range []struct {
		name                   string
		service, fn, ifMatch   string
		runtime                *string
		wantUpdate, wantDelete fc.Code
	}{
		{"no service", "nope", "fn", "", nil, fc.CodeServiceNotFound, fc.CodeServiceNotFound},
		{"no function", "svc", "nope", "", nil, fc.CodeFunctionNotFound, fc.CodeFunctionNotFound},
		{"stale If-Match", "svc", "fn", "0123456789abcdef0123456789abcdef", nil, fc.CodePreconditionFailed, fc.CodePreconditionFailed},
		{"unknown runtime", "svc", "fn", tag, ptr("cobol"), fc.CodeInvalidArgument, ""},
	} {
		_, _, err := m.UpdateFunction(ctx, c.service, c.fn, c.ifMatch, fcapi.FunctionInput{Runtime: c.runtime, Description: ptr("x")}, nil, t0)
		if fc.CodeOf(err) != c.wantUpdate {
			t.Errorf("update, %s: %v, want %q", c.name, err, c.wantUpdate)
		}
		if c.wantDelete != "" {
			if err := m.DeleteFunction(ctx, c.service, c.fn, c.ifMatch); fc.CodeOf(err) != c.wantDelete {
				t.Errorf("delete, %s: %v, want %q", c.name, err, c.wantDelete)
			}
		}
	}
	if got, now, _ := m.Function(ctx, "svc", "", "fn"); got.Description != "" || now != tag {
		t.Fatalf("refused writes changed the function: %+v, ETag %q (was %q)", got, now, tag)
	}
	_, newTag, err := m.UpdateFunction(ctx, "svc", "fn", tag, fcapi.FunctionInput{Runtime: ptr("python3")}, nil, t0)
	if err != nil || newTag == tag {
		t.Fatalf("update with the current ETag: %q, %v; want a new ETag", newTag, err)
	}
	if err := m.DeleteFunction(ctx, "svc", "fn", tag); fc.CodeOf(err) != fc.CodePreconditionFailed {
		t.Errorf("delete with the ETag before the update: %v, want PreconditionFailed", err)
	}
	if err := m.DeleteFunction(ctx, "svc", "fn", newTag); err != nil {
		t.Fatal(err)
	}
	if _, _, err := m.Function(ctx, "svc", "", "fn"); fc.CodeOf(err) != fc.CodeFunctionNotFound {
		t.Errorf("after delete: %v, want FunctionNotFound", err)
	}
	// The versions keep their snapshot of it.
	if _, _, err := m.Function(ctx, "svc", "3", "fn"); err != nil {
		t.Errorf("version 3 lost its function: %v", err)
	}
}

// An update makes a new record: a version published before it keeps the old function.
func TestUpdateLeavesSnapshotsAlone(t *testing.T) {
	m := fixtureStore()
	before, _, _ := m.Function(ctx, "svc", "3", "fn")
	if _, _, err := m.UpdateFunction(ctx, "svc", "fn", "", fcapi.FunctionInput{Description: ptr("new"), EnvironmentVariables: &map[string]string{"A": "1"}}, nil, t0); err != nil {
		t.Fatal(err)
	}
	if after, _, _ := m.Function(ctx, "svc", "3", "fn"); !reflect.DeepEqual(after, before) {
		t.Errorf("version 3's function changed with an update: %+v, was %+v", after, before)
	}
	if now, _, _ := m.Function(ctx, "svc", "prod", "fn"); now.Description != "" {
		t.Errorf("through the alias: %+v", now)
	}
}

// A code package is stored once by checksum, and served back by it.
func TestCodeStoredOnceByChecksum(t *testing.T) {
	m := fixtureStore()
	code := &Code{Bytes: []byte("package-1"), Checksum: Checksum([]byte("package-1"))}
	for _, name := range []string{"a", "b"} {
		if _, _, err := m.CreateFunction(ctx, "svc", fcapi.FunctionInput{FunctionName: ptr(name), Runtime: ptr("go1"), Handler: ptr("main")}, code, t0); err != nil {
			t.Fatal(err)
		}
	}
	got, _, err2 := m.UpdateFunction(ctx, "svc", "fn", "", fcapi.FunctionInput{}, code, t0)
	if err2 != nil || got.CodeChecksum != code.Checksum || got.CodeSize != 9 {
		t.Errorf("update with code: %+v, %v", got, err2)
	}
	if m.codeBytes != 9 {
		t.Errorf("code bytes %d after storing one package three times, want 9", m.codeBytes)
	}
	if b, ok, err := m.CodeBytes(ctx, code.Checksum); !ok || err != nil || string(b) != "package-1" {
		t.Errorf("CodeBytes: %q, %v, %v", b, ok, err)
	}
	if n, ok := m.CodeSize(code.Checksum); !ok || n != 9 {
		t.Errorf("CodeSize: %d, %v", n, ok)
	}
	if b, ok, _ := m.CodeBytes(ctx, Checksum(nil)); !ok || len(b) != 0 {
		t.Errorf("the empty package (the fixtures'): %q, %v", b, ok)
	}
	if _, ok, _ := m.CodeBytes(ctx, "42"); ok {
		t.Error("CodeBytes found a package never stored")
	}
	if _, ok := m.CodeSize("42"); ok {
		t.Error("CodeSize found a package never stored")
	}
}
